#!/usr/bin/env bash
# drllm's logits against llama.cpp's on the same GGUF files, any architecture and weight types
# (docs/results/quantized.md, section "On the AVX-512 Zen 5 VM again", "Logits against llama.cpp on real
# K-quant rows").
#   bench/llamacpp-logits.sh FILE.gguf [FILE.gguf ...]
# Per file: random prompts over its vocabulary, llama.cpp's greedy steps and top-8 logits through
# libllama (bench/llamacpp-answers.cpp, context capped at 512), drllm's `logits` at the same positions
# through its three kernel paths (decode matvec, tiled GEMM, outer-product GEMM); the table per path goes
# to OUT/NAME/summary.md (bench/llamacpp_logits.py). Exit status 1 if drllm's top token fell outside
# llama.cpp's top 8 anywhere (more than a near tie).
# Needs: JDK 25, Maven (builds target/drllm.jar when missing), g++, python3, and a llama.cpp build with
# its libraries: LLAMA_CPP_SRC (default ../.llama.cpp/src, what ../shared/tools/build-llama-quantize.sh
# makes). PROMPTS (default 6) and STEPS (default 5) size the check; CPU_LOCK=FILE runs each file under
# flock FILE. A rerun reuses a file's outputs while the file, target/drllm.jar, PROMPTS and STEPS are unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# -ge 1 ]] || { sed -n '2,14p' "$0" >&2; exit 2; }
THREADS=${DRLLM_BENCH_THREADS:-2}
OUT=${OUT:-bench/results/logits}
# lock, the llama.cpp build check, target/drllm.jar and the driver (one definition for this and llamacpp-answers.sh)
source bench/llamacpp-driver.sh
mkdir -p "$OUT"
DRIVER=$OUT/llamacpp-answers
llamacpp_driver llamacpp-logits "$DRIVER"
status=0
for f in "$@"; do
  [[ -f $f ]] || { echo "llamacpp-logits: $f: no such file" >&2; exit 2; }
  name=$(basename "$f" .gguf)
  echo "== $f ($(date -u +%T); drllm $(git rev-parse --short HEAD), llama.cpp $(git -C "$LLAMA_CPP_SRC" rev-parse --short HEAD 2>/dev/null || echo '?'))"
  lock python3 bench/llamacpp_logits.py "$f" "$OUT/$name" "$DRIVER" "$THREADS" ./drllm "${PROMPTS:-6}" "${STEPS:-5}" || status=1
done
exit $status
