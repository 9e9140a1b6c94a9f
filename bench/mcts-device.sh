#!/bin/sh
# The MCTS benchmark behind bench/results/mcts-h200-host.txt: evaluations/s with and without the
# prefix cache (one thread each) and with the cache on every core, for both tasks, then the full
# DART train split on every core. JAVA (default: java) must be a JDK 25 runtime; JAR the built jar.
set -e
OUT=${OUT:-runs/device}
JAVA=${JAVA:-java}
JAR=${JAR:-target/drllm.jar}
mkdir -p "$OUT"
J="$JAVA --add-modules jdk.incubator.vector -jar $JAR"
CORES=$(nproc)
for t in arc dart; do
  $J bench-mcts --model models/drllm-tiny --task $t --data data/tasks/$t-train.jsonl --questions 60 --threads "$CORES" 2>/dev/null | tee "$OUT/bench-$t.txt"
done
s=$(date +%s)
$J mcts --model models/drllm-tiny --task dart --data data/tasks/dart-train.jsonl --threads "$CORES" --quiet --out "$OUT/dart-train-full.jsonl"
echo "dart full: $(( $(date +%s) - s )) s on $CORES threads"
