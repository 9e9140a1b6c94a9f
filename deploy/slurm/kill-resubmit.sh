#!/usr/bin/env bash
# On a one-node Slurm of its own (local-cluster.sh): 4 array tasks of drllm mcts on the tiny model, one
# of them cancelled (scancel) mid-shard; once the array has ended, the same submit.sh command again. The
# merge then holds every question once and equals an unsharded run. Run from the repo root as root,
# after `mvn -q package -DskipTests` (or with DRLLM set to another drllm launcher):
#   bash deploy/slurm/kill-resubmit.sh [WORK_DIR]
set -euo pipefail
repo=$PWD
work=${1:-/tmp/drllm-kill-resubmit}
rm -rf "$work"; mkdir -p "$work"
export DRLLM=${DRLLM:-$repo/drllm}
bash deploy/slurm/local-cluster.sh install
eval "$(bash deploy/slurm/local-cluster.sh start "$work/slurm")"
trap 'bash deploy/slurm/local-cluster.sh stop "$work/slurm"' EXIT
args=(--model models/drllm-tiny --task arc --data data/tasks/arc-train.jsonl --limit 24 --simulations 16 --threads 1 --quiet)
echo "== submit: 4 shards of 24 questions"
read -r arr merge < <(bash deploy/slurm/submit.sh mcts 4 "$work/results" "${args[@]}")
echo "array $arr merge $merge"
f="$work/results/mcts.shard-1-of-4.jsonl"
until [ -f "$f" ] && [ "$(wc -l < "$f")" -ge 2 ]; do sleep 0.5; done
echo "== shard 1 has $(wc -l < "$f") of 6 questions: scancel ${arr}_1"
scancel "${arr}_1"
sleep 5
echo "== merge job after the cancel: $(scontrol show job "$merge" 2>&1 | grep -o 'JobState=[A-Z_]*' || echo gone)"
for t in 0 1 2 3; do echo "task $t: $(scontrol show job "${arr}_$t" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | head -1)"; done
echo "== waiting for the other tasks of the first array to end"
while squeue -h -j "$arr" 2>/dev/null | grep -q .; do sleep 2; done
echo "== shard 1 holds $(wc -l < "$f") lines; the same submit.sh again"
read -r arr2 merge2 < <(bash deploy/slurm/submit.sh mcts 4 "$work/results" "${args[@]}")
echo "array $arr2 merge $merge2"
while scontrol show job "$merge2" | grep -qE 'JobState=(PENDING|RUNNING|COMPLETING)'; do sleep 2; done
echo "== merge: $(scontrol show job "$merge2" | grep -o 'JobState=[A-Z_]*')"
cat "$work/results/logs/mcts-merge-$merge2.out"
echo "merged questions: $(wc -l < "$work/results/mcts.jsonl"), distinct: $(grep -o '"index":[0-9]*' "$work/results/mcts.jsonl" | sort -u | wc -l);" \
  "shard 1 indices: $(grep -o '"index":[0-9]*' "$f" | cut -d: -f2 | tr '\n' ' ')"
echo "== unsharded run for comparison"
"$DRLLM" mcts "${args[@]}" --out "$work/whole.jsonl"
strip() { sed 's/"seconds":[0-9.eE+-]*//' "$1" | sort; }
if diff <(strip "$work/results/mcts.jsonl") <(strip "$work/whole.jsonl") >/dev/null; then echo "merged == unsharded (timings aside): yes"
else echo "merged == unsharded (timings aside): NO"; exit 1; fi
