#!/bin/bash
# usage: dp.sh FILE.gguf jarA jarB : DecodeProfile interleaved A/B/A/B in one lock (caller holds it)
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 PATH=/usr/lib/jvm/temurin-25-jdk-amd64/bin:$PATH
cd /work/wt-15f
F=$1; shift
date -u; uptime; lscpu | grep 'Model name'
for rep in 1 2; do
  for jar in "$@"; do
    echo "=== rep $rep $jar $F"
    java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx6g -Ddrllm.threads=2 -cp $jar dev.drllm.bench.DecodeProfile $F 8 2>&1 | grep -v WARNING
  done
done
uptime; date -u
