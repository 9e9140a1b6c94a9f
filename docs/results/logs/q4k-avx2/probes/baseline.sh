#!/bin/bash
# baseline on the AVX2 Zen 3 machine; run under flock /work/cpu.lock
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 PATH=/usr/lib/jvm/temurin-25-jdk-amd64/bin:$PATH
cd /work/wt-15ad
J=${J:-/tmp/ad/base.jar}
F="--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx6g -Ddrllm.threads=2"
echo "== $(date -u) jar=$J"; uptime
java -jar $J -jvmArgsAppend "$F -Ddrllm.root=$PWD" MemoryBandwidthBench -p threads=2 -wi 1 -i 3 -w 2s -r 3s 2>&1 | grep -E '^(Benchmark|MemoryBandwidth)'
java -jar $J -jvmArgsAppend "$F -Ddrllm.root=$PWD" MatvecBench -p dtype=Q4_K,Q6_K,Q8_0 -p tokens=1 -p shape=8192x2048,2048x8192 -wi 3 -i 3 -w 2s -r 3s 2>&1 | grep -E '^(Benchmark|MatvecBench)'
java $F -cp $J dev.drllm.bench.DecodeProfile bench/data/llama-1b-random.q8_0.gguf 6 2>&1
uptime
