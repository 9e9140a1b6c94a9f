#!/usr/bin/env bash
# Submits a sharded drllm run to Slurm: an array of SHARDS tasks (array index → --shard i/SHARDS,
# drllm-array.sbatch) and the checked merge as a job that starts when every task succeeded
# (drllm-merge.sbatch). Prints "ARRAY_JOB_ID MERGE_JOB_ID".
#
#   deploy/slurm/submit.sh JOB SHARDS RESULTS [drllm JOB options...]
#
# JOB: mcts, eval, edit-scan or train-routers (its feature pass; the merge trains). RESULTS: a directory on a filesystem every node mounts
# (shard outputs, the merged result, and logs/ with one log per task). With --device cuda among the
# options each array task asks for one GPU (--gres=gpu:1), and so does the merge of eval (which may
# run the static skip-N baseline) and of train-routers (the training run). Other sbatch settings (partition,
# account, time limit, CPUs) come from the usual SBATCH_* environment variables, e.g. SBATCH_PARTITION.
# Resubmitting the same command is safe: finished shards are only checked, killed ones resume.
set -euo pipefail
[ $# -ge 3 ] || { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
job=$1 shards=$2 results=$3
shift 3
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || { echo "submit.sh: SHARDS must be a positive integer, got '$shards'" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
mkdir -p "$results/logs"
results=$(cd "$results" && pwd)
export DRLLM_SHARD="$repo/deploy/drllm-shard"
export DRLLM=${DRLLM:-$repo/drllm}

gpu=()
prev=""
for a in "$@"; do
  if { [ "$prev" = "--device" ] && [[ "$a" == cuda* ]]; } || [[ "$a" == --device=cuda* ]]; then gpu=(--gres=gpu:1); fi
  prev=$a
done
merge_gpu=()
case "$job" in eval|train-routers) merge_gpu=("${gpu[@]}") ;; esac

array=$(sbatch --parsable --export=ALL --array="0-$((shards - 1))" "${gpu[@]}" --job-name="drllm-$job" \
  --output="$results/logs/$job-%A_%a.out" "$here/drllm-array.sbatch" "$job" "$results" "$@")
array=${array%%;*}
merge=$(SHARD_COUNT=$shards sbatch --parsable --export=ALL "${merge_gpu[@]}" --dependency="afterok:$array" --kill-on-invalid-dep=yes \
  --job-name="drllm-$job-merge" --output="$results/logs/$job-merge-%j.out" "$here/drllm-merge.sbatch" "$job" "$results" "$@")
merge=${merge%%;*}
echo "$array $merge"
