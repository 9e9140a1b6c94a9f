#!/bin/bash
# usage: ab.sh LOG model rounds n "label:jar:jvmflags" ...
# PrefillTime: ../quantized-prefill-avx2/PrefillTime.java, compiled into /work/lead-logs/pf
LOG=$1; M=$2; ROUNDS=$3; N=$4; shift 4
J="/usr/lib/jvm/temurin-25-jdk-amd64/bin/java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx6g -Ddrllm.threads=2"
{ echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) (family 25 model 1, Zen 3, AVX2), $(nproc) cores; date $(date -u +%FT%TZ); load $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 $ROUNDS); do for spec in "$@"; do
  IFS=: read label jar flags <<< "$spec"
  echo "round $r $label: $($J $flags -cp $jar:/work/lead-logs/pf PrefillTime /work/bench-data/llama-1b-random.$M.gguf $N 2>&1 | grep median)"
done; done
echo "load after $(cut -d' ' -f1-3 /proc/loadavg); date $(date -u +%FT%TZ)"; } > $LOG 2>&1
