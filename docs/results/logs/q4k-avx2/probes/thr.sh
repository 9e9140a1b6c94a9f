#!/bin/bash
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 PATH=/usr/lib/jvm/temurin-25-jdk-amd64/bin:$PATH
cd /work/wt-15ad
J=${J:-/tmp/ad/base.jar}
echo "== $(date -u) jar=$J"; uptime
for t in 1 2; do
F="--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx6g -Ddrllm.threads=$t"
java $F -cp $J dev.drllm.bench.DecodeProfile bench/data/llama-1b-random.q4_k_m.gguf 5 ${STEPS-steps} 2>&1 | grep -v WARN
done
uptime
