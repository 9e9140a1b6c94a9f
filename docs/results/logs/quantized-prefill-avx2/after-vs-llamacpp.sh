#!/bin/bash
LOG=$1; JAR=$2
cd /work/wt-15ap
J="/usr/lib/jvm/temurin-25-jdk-amd64/bin/java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx6g -Ddrllm.threads=2"
{ echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) (family 25 model 1, Zen 3, AVX2), $(nproc) cores; date $(date -u +%FT%TZ); load $(cut -d' ' -f1-3 /proc/loadavg)"
for r in 1 2; do for m in q4_k_m q8_0; do
  echo "round $r drllm $(basename $JAR): $($J -cp $JAR:/tmp/ap/pt PrefillTime bench/data/llama-1b-random.$m.gguf 6 2>&1 | grep median)"
  node /work/bench-peer/llamacpp.mjs $PWD/bench/data/llama-1b-random.$m.gguf 2 /tmp/ap/llama-$m-$r.json 2>&1 | grep -v 'decode run'
done; done
echo "load after $(cut -d' ' -f1-3 /proc/loadavg); date $(date -u +%FT%TZ)"; } > $LOG 2>&1
