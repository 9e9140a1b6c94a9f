#!/bin/bash
# drllm DecodeProfile (Q4_K_M) and llama.cpp on the same file, one lock hold
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 PATH=/usr/lib/jvm/temurin-25-jdk-amd64/bin:$PATH
cd /work/wt-15ad
J=${J:-/tmp/ad/base.jar}
F="--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx6g -Ddrllm.threads=2"
echo "== $(date -u) jar=$J"; uptime
/tmp/ad/bw | head -3
java $F -cp $J dev.drllm.bench.DecodeProfile bench/data/llama-1b-random.q4_k_m.gguf 6 2>&1 | grep -v WARN
node /work/bench-peer/llamacpp.mjs $PWD/bench/data/llama-1b-random.q4_k_m.gguf 2 /tmp/ad/llama-q4km.json 2>&1 | grep -i "decode\|prefill run 5"
cat /tmp/ad/llama-q4km.json; echo
uptime
