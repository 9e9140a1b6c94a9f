#!/bin/bash
# usage: ab.sh label jarA jarB [dtypes...]  -- interleaved A/B/A/B MatvecBench + bandwidth, in one lock
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 PATH=/usr/lib/jvm/temurin-25-jdk-amd64/bin:$PATH
cd /work/wt-15f
A=$1; B=$2; shift 2
DT=${DT:-F16}
J="--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx6g -Ddrllm.threads=2 -Ddrllm.root=$PWD"
date -u; uptime; lscpu | grep 'Model name'
for rep in 1 2; do
  for jar in $A $B; do
    echo "=== rep $rep jar $jar"
    java -jar $jar -jvmArgsAppend "$J" MatvecBench -p dtype=$DT -p tokens=1 -wi 3 -i 4 -w 3s -r 4s 2>&1 | grep -E "^MatvecBench|^Benchmark|Iteration"
  done
  [ -n "$BW" ] && java -jar $A -jvmArgsAppend "$J" MemoryBandwidthBench -p threads=2 -wi 3 -i 4 -w 3s -r 4s 2>&1 | grep -E "^MemoryBandwidthBench|^Benchmark"
done
uptime; date -u
