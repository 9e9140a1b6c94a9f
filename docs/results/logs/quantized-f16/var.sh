#!/bin/bash
# usage: var.sh "jar:props" ...  -- each config run twice, interleaved, in one lock (caller holds it)
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 PATH=/usr/lib/jvm/temurin-25-jdk-amd64/bin:$PATH
cd /work/wt-15f
DT=${DT:-F16}
date -u; uptime; lscpu | grep 'Model name'
for rep in 1 2; do
  for cfg in "$@"; do
    jar=${cfg%%:*}; props=${cfg#*:}
    echo "=== rep $rep $jar $props"
    java -jar $jar -jvmArgsAppend "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx6g -Ddrllm.threads=2 -Ddrllm.root=$PWD $props" MatvecBench -p dtype=$DT -p tokens=${TOK:-1} -wi 3 -i 4 -w 3s -r 4s 2>&1 | grep -E "^MatvecBench"
  done
  [ -n "$BW" ] && java -jar $jar -jvmArgsAppend "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx6g -Ddrllm.threads=2" MemoryBandwidthBench -p threads=2 -wi 3 -i 4 -w 3s -r 4s 2>&1 | grep -E "^MemoryBandwidthBench"
done
uptime; date -u
