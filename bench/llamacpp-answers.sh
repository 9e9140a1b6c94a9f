#!/usr/bin/env bash
# Task-answer agreement with llama.cpp on the same GGUF files (docs/results/quantized-agreement.md).
#   bench/llamacpp-answers.sh [LIMIT]      (default 500: every ARC and DART test question)
# For drllm-tiny as GGUF at F32, BF16, F16, Q8_0 and Q4_0 written by `drllm quantize`, and at Q8_0 and Q4_0
# written by llama.cpp's llama-quantize from the F32 file, answers the first LIMIT questions of
# data/tasks/{arc,dart}-test.jsonl three ways: `drllm eval` (baseline: every layer), drllm's greedy
# loop with its logits recorded (AnswerTrace trace, checked equal to the eval's replies), and llama.cpp
# greedy on the very same prompt token ids (bench/llamacpp-answers.cpp against libllama), then compares
# (AnswerTrace compare): prompt tokenisation, replies, answers, accuracy, and the logit margins where
# the engines part.
# Needs: JDK 25, Maven (builds target/drllm.jar when missing), g++, and a llama.cpp build with its
# libraries and llama-quantize: LLAMA_CPP_SRC (default ../.llama.cpp/src, what
# ../shared/tools/build-llama-quantize.sh makes). CPU_LOCK=FILE runs the heavy steps under flock FILE (one model file's steps at a time).
# Outputs under OUT (default bench/results/agreement): models/, per-file eval reports and traces,
# summary.md (the table) and run.log. Steps whose output exists are skipped (rerun resumes).
# UPDATE_FIXTURES=1 also rewrites the test suite's expected llama.cpp answers (src/test/resources/fixtures/agreement).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
LIMIT=${1:-500}
THREADS=${DRLLM_BENCH_THREADS:-2}
OUT=${OUT:-bench/results/agreement}
# lock, the llama.cpp build check, target/drllm.jar and the driver (one definition for this and llamacpp-logits.sh)
source bench/llamacpp-driver.sh
# one file's evals and traces hold the lock together (a minute or two), not each short step
hold() { if [[ -n ${CPU_LOCK:-} ]]; then exec 9>>"$CPU_LOCK"; flock 9; fi; }
release() { if [[ -n ${CPU_LOCK:-} ]]; then flock -u 9; exec 9>&-; fi; }
log() { echo "[$(date -u +%T)] $*" | tee -a "$OUT/run.log" >&2; }

mkdir -p "$OUT/models"
DRIVER=$OUT/llamacpp-answers
llamacpp_driver llamacpp-answers "$DRIVER" llama-quantize
JAVA=(java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Dstdout.encoding=UTF-8 -cp target/drllm.jar)
TRACE=("${JAVA[@]}" bench/src/main/java/dev/drllm/bench/AnswerTrace.java)

{ echo "date: $(date -u +%FT%TZ)"
  echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; threads: $THREADS"
  echo "drllm: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src bench || echo ' (+ local changes)'); llama.cpp: $(git -C "$LLAMA_CPP_SRC" rev-parse --short HEAD 2>/dev/null || echo '?') ($LLAMA_CPP_SRC)"
  echo "questions: the first $LIMIT of each test file; load: $(cut -d' ' -f1-3 /proc/loadavg)"; } | tee -a "$OUT/run.log"

# the files: drllm's writer, then llama.cpp's quantizer on drllm's F32 file
M=$OUT/models
hold
for t in f32 bf16 f16 q8_0 q4_0; do
  [[ -f $M/drllm-tiny.$t.gguf ]] || ./drllm quantize --quiet --model models/drllm-tiny --type "$t" --out "$M/drllm-tiny.$t.gguf" 2>&1 | grep -v '^WARNING' | tee -a "$OUT/run.log"
done
for t in Q8_0 Q4_0; do
  f=$M/drllm-tiny.llq-${t,,}.gguf
  if [[ ! -f $f ]]; then
    "$BIN/llama-quantize" "$M/drllm-tiny.f32.gguf" "$f.tmp" "$t" "$THREADS" > "$OUT/llama-quantize-${t,,}.log" 2>&1
    mv "$f.tmp" "$f"
    log "llama-quantize $t: $f"
  fi
done
release
LABELS=(f32 bf16 f16 q8_0 q4_0 llq-q8_0 llq-q4_0)

for label in "${LABELS[@]}"; do
  f=$M/drllm-tiny.$label.gguf
  d=$OUT/$label
  mkdir -p "$d"
  hold
  for task in arc dart; do
    data=data/tasks/$task-test.jsonl
    if [[ ! -f $d/$task-test.json ]]; then
      log "drllm eval $label $task"
      ./drllm eval --model "$f" --task "$task" --data "$data" --limit "$LIMIT" --out-dir "$d" --quiet > /dev/null 2> >(grep -v '^WARNING' >&2)
    fi
    if [[ ! -f $d/$task.drllm.jsonl ]]; then
      log "drllm trace $label $task"
      "${TRACE[@]}" trace "$f" "$task" "$data" "$LIMIT" "$d/$task.drllm.jsonl.tmp" "$d/$task.prompts.tsv" 2> >(grep -v '^WARNING' >&2)
      mv "$d/$task.drllm.jsonl.tmp" "$d/$task.drllm.jsonl"
    fi
    if [[ ! -f $d/$task.llamacpp.jsonl ]]; then
      log "llama.cpp $label $task"
      "$DRIVER" "$f" "$d/$task.prompts.tsv" "$d/$task.llamacpp.jsonl.tmp" "$THREADS"
      mv "$d/$task.llamacpp.jsonl.tmp" "$d/$task.llamacpp.jsonl"
    fi
  done
  release
done

log "comparing"
hold
{ echo "| file | task | questions | prompt ids equal | replies: same ids | same text | same answer | drllm accuracy | llama.cpp accuracy | \|Δlogit\| median / p99 / max |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  for label in "${LABELS[@]}"; do
    for task in arc dart; do
      "${JAVA[@]}" bench/src/main/java/dev/drllm/bench/AnswerTrace.java compare "$label" "$M/drllm-tiny.$label.gguf" "$task" \
          "data/tasks/$task-test.jsonl" "$OUT/$label/$task.drllm.jsonl" "$OUT/$label/$task.llamacpp.jsonl" "$OUT/$label/$task-test.json" 2> >(grep -v '^WARNING' >&2) \
          > "$OUT/$label/$task.compare.md"
      head -1 "$OUT/$label/$task.compare.md"
    done
  done
  echo
  for label in "${LABELS[@]}"; do for task in arc dart; do tail -n +2 "$OUT/$label/$task.compare.md"; done; done
} > "$OUT/summary.md"
release
# the test suite's expected llama.cpp answers (GgufTaskAgreementTest): the first 8 questions of each task
# and up to 4 more where the engines part, for the files the test can write again itself
if [[ -n ${UPDATE_FIXTURES:-} ]]; then
  FIX=src/test/resources/fixtures/agreement
  mkdir -p "$FIX"
  for label in f32 q8_0 q4_0; do
    lock "${TRACE[@]}" fixture "$M/drllm-tiny.$label.gguf" "$OUT/$label" 8 4 "$(git -C "$LLAMA_CPP_SRC" rev-parse --short HEAD 2>/dev/null || echo '?')" \
        "$FIX/drllm-tiny.$label.json" 2> >(grep -v '^WARNING' >&2)
    log "wrote $FIX/drllm-tiny.$label.json"
  done
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/run.log"
cat "$OUT/summary.md"
