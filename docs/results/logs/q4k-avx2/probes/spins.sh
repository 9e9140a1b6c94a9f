#!/bin/bash
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 PATH=/usr/lib/jvm/temurin-25-jdk-amd64/bin:$PATH
cd /work/wt-15ad
echo "== $(date -u)"; uptime
for rep in 1 2; do for s in 20000 1000000; do
F="--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx6g -Ddrllm.threads=2 -Ddrllm.spins=$s"
echo -n "spins=$s: "; java $F -cp /tmp/ad/spins.jar dev.drllm.bench.DecodeProfile bench/data/llama-1b-random.q4_k_m.gguf 5 steps 2>&1 | grep -v WARN
done; done
uptime
