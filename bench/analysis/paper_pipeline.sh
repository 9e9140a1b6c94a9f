#!/usr/bin/env bash
# paper-pipeline routers for models/drllm-tiny: curated MCTS labels -> train-routers with the paper's defaults -> eval
set -euo pipefail   # run from anywhere; writes models/drllm-tiny/routers.safetensors (if absent) and docs/results/drllm-tiny/paper/
cd "$(dirname "$0")/../.."
# (build first: mvn -q package -DskipTests)
DR=./drllm
L=docs/results/drllm-tiny/paper
mkdir -p $L
{ echo "# $(date -u) $(lscpu | grep 'Model name') nproc $(nproc); load: $(uptime)"; } > $L/train-routers.log
if [ ! -f models/drllm-tiny/routers.safetensors ]; then
  $DR train-routers --model models/drllm-tiny \
      --labels data/labels/arc-pool-mcts-curated.jsonl,data/labels/dart-pool-mcts-curated.jsonl \
      --data data/pool/arc-pool.jsonl,data/pool/dart-pool.jsonl \
      --out models/drllm-tiny/routers.safetensors 2>&1 | grep -v '^WARNING: Using incubator' >> $L/train-routers.log
fi
echo "# done $(date -u); load: $(uptime)" >> $L/train-routers.log
for s in "arc data/tasks/arc-test.jsonl" "dart data/tasks/dart-test.jsonl" "arc data/fresh/arc-fresh.jsonl" "dart data/fresh/dart-fresh.jsonl"; do
  set -- $s
  log=$L/eval-$(basename $2 .jsonl).log
  echo "# $(date -u) load: $(uptime)" >> $log
  $DR eval --model models/drllm-tiny --task $1 --data $2 --out-dir $L 2>&1 | grep -v '^WARNING: Using incubator' >> $log
  echo "# done $(date -u) load: $(uptime)" >> $log
done
echo PIPELINE DONE
