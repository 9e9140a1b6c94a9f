#!/bin/bash
# pair.sh CLS WORK N MODEL label=jar ... : PairTime in one lock hold, FMA probe before/after
CLS=$1; WORK=$2; N=$3; M=$4; shift 4
J="/usr/lib/jvm/temurin-25-jdk-amd64/bin/java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx8g -Ddrllm.threads=2 -Drunner=/work/pair/runner -Dcls=$CLS -Dwork=$WORK"
fma() { echo "fma probe $(date -u +%T): alone $(/tmp/tp | head -1 | awk '{print $3}'); two at once: $( (/tmp/tp | head -1 | awk '{print $3}' > /tmp/tpa) & (/tmp/tp | head -1 | awk '{print $3}' > /tmp/tpb); wait; echo $(cat /tmp/tpa) / $(cat /tmp/tpb)) G FMA/s"; }
echo "machine: $(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2 | xargs) (family $(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2 | xargs) model $(grep -m1 '^model\s' /proc/cpuinfo | cut -d: -f2 | xargs)), $(nproc) vCPUs; $(date -u +%FT%TZ); load $(cut -d" " -f1-3 /proc/loadavg)"
fma
$J -cp /work/pair/main PairTime /work/wt-bench/bench/data/llama-1b-random.$M.gguf $N "$@" 2>&1 | grep -v WARN
fma; echo "load after $(cut -d" " -f1-3 /proc/loadavg); $(date -u +%FT%TZ)"
