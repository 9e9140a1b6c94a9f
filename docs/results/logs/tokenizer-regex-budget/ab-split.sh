#!/usr/bin/env bash
# A/B of the pre-tokenizer regex work budget with SplitTime (split alone and whole encode, CPU time,
# median of the last half of the passes): A = main c18b503's SplitPattern and PreTokenizer (compiled
# into $BASE, ahead of the jar on the class path), B = this branch's jar. Interleaved, same JVM flags.
# Setup: javac -d $ST -cp target/drllm.jar docs/results/logs/tokenizer-regex-budget/SplitTime.java
# Run under the CPU lock: flock /work/cpu.lock docs/results/logs/tokenizer-regex-budget/ab-split.sh
set -euo pipefail
BASE=${BASE:-/tmp/redos/base}
ST=${ST:-/tmp/redos/st}
JAR=target/drllm.jar
FLAGS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx4g)
for rep in 1 2 3; do
  for tok in qwen3 llama3; do
    for side in A B; do
      cp=$ST:$JAR; [ $side = A ] && cp=$ST:$BASE:$JAR
      echo "== $tok rep $rep side $side"
      java "${FLAGS[@]}" -cp "$cp" dev.drllm.tokenizer.SplitTime ../shared/tokenizers/$tok 8 2>&1 | grep -v "^WARNING"
    done
  done
done
