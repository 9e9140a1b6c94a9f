#!/bin/bash
# pair.sh LOG N "models" label=jar ... : PairTime per model in one lock hold, FMA probe before/after each
LOG=$1; N=$2; MS=$3; shift 3
J="/usr/lib/jvm/temurin-25-jdk-amd64/bin/java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx8g -Ddrllm.threads=2"
flock /work/cpu.lock bash -c '
echo "machine: $(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2 | xargs) (family 25 model 1, Zen 3, AVX2 only), $(nproc) vCPUs; $(date -u +%FT%TZ); load $(cut -d" " -f1-3 /proc/loadavg)"
for m in '"$MS"'; do /tmp/gemm/fma.sh; '"$J"' -cp /tmp/gemm/pair/main PairTime /work/bench-data/llama-1b-random.$m.gguf '$N' '"$*"' 2>&1 | grep -v WARN; done
/tmp/gemm/fma.sh; echo "load after $(cut -d" " -f1-3 /proc/loadavg); $(date -u +%FT%TZ)"' > $LOG 2>&1
cat $LOG
