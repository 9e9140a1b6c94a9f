#!/bin/bash
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 PATH=/usr/lib/jvm/temurin-25-jdk-amd64/bin:$PATH
cd /work/wt-15ad
J=/tmp/ad/stage.jar
echo "== $(date -u)"; uptime
for rep in 1 2; do for s in 1 16384 65536; do
F="--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx6g -Ddrllm.threads=2 -Ddrllm.q4k.stage=$s"
echo "-- stage=$s rep $rep"
java -jar $J -jvmArgsAppend "$F -Ddrllm.root=$PWD" MatvecBench -p dtype=Q4_K -p tokens=1 -p shape=8192x2048,2048x8192 -wi 3 -i 3 -w 2s -r 2s 2>&1 | grep -E '^MatvecBench'
java $F -cp $J dev.drllm.bench.DecodeProfile bench/data/llama-1b-random.q4_k_m.gguf 4 steps 2>&1 | grep -v WARN
done; done
uptime
