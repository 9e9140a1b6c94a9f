#!/usr/bin/env bash
# A/B of the pre-tokenizer regex work budget on encode throughput: A = main c18b503's SplitPattern and
# PreTokenizer (compiled into $BASE, ahead of the jar on the class path), B = this branch's jar as is.
# Interleaved A B A B ..., same JVM flags, single-threaded bench-tokenizer (8 MB of text, 8 passes).
# Run under the CPU lock: flock /work/cpu.lock docs/results/logs/tokenizer-regex-budget/ab.sh
set -euo pipefail
BASE=${BASE:-/tmp/redos/base}
JAR=target/drllm.jar
FLAGS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx4g)
for tok in qwen3 llama3; do
  for rep in 1 2 3; do
    for side in A B; do
      cp=$JAR; [ $side = A ] && cp=$BASE:$JAR
      echo "== $tok rep $rep side $side"
      java "${FLAGS[@]}" -cp "$cp" dev.drllm.cli.Main bench-tokenizer --tokenizer ../shared/tokenizers/$tok \
        --data data/tasks --mb 8 --passes 8 2>&1 | grep -v "^WARNING"
    done
  done
done
