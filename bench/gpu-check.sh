#!/usr/bin/env bash
# GPU check for drllm's CUDA backend, for a machine with an NVIDIA GPU and no Java installed:
# it runs the CUDA tests (kernels vs the CPU backend, hf-reference fixtures, tiny model greedy
# tokens CUDA == CPU) and, when asked, `drllm bench`, then prints one table.
#
# Inputs, in $DEV (default .device/, made by bench/gpu-prepare.sh on a build machine):
#   jre.tgz            a jlinked JDK 25 runtime (java.base, jdk.incubator.vector, ...)
#   drllm.jar          the shaded jar (kernels fatbin inside)
#   test-classes.tgz   target/test-classes (*.class only)
#   junit-console.jar  junit-platform-console-standalone
# Run from the repository root (fixtures and models/drllm-tiny are read from there).
# usage: bench/gpu-check.sh [tests|bench|all]   (writes logs under $OUT, default ./gpu-out)
set -uo pipefail
what="${1:-all}"
DEV="${DEV:-.device}"
OUT="${OUT:-gpu-out}"
mkdir -p "$OUT" /tmp/drllm-jre
root="$(pwd)"
tar xzf "$DEV/jre.tgz" -C /tmp/drllm-jre
JAVA=/tmp/drllm-jre/jre/bin/java
FLAGS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xss8m -Ddrllm.project.dir="$root")
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv,noheader | tee "$OUT/gpu.txt"
"$JAVA" -version 2>&1 | head -1
export BENCH_TIMEOUT="${BENCH_TIMEOUT:-100}"

if [[ "$what" == tests || "$what" == all ]]; then
  mkdir -p /tmp/drllm-tc && tar xzf "$DEV/test-classes.tgz" -C /tmp/drllm-tc
  t0=$(date +%s)
  timeout "${TEST_TIMEOUT:-150}" "$JAVA" "${FLAGS[@]}" -jar "$DEV/junit-console.jar" execute \
      --class-path "$DEV/drllm.jar:/tmp/drllm-tc" --select-package dev.drllm.cuda \
      --details=none --disable-banner --reports-dir="$OUT/junit" >"$OUT/tests.log" 2>&1
  rc=$?
  echo "tests: exit $rc in $(( $(date +%s) - t0 )) s"
  python3 - "$OUT/junit" "$OUT/tests.log" <<'PY'
import sys, glob, re, xml.etree.ElementTree as ET
rows = []
for f in glob.glob(sys.argv[1] + "/*.xml"):
    for tc in ET.parse(f).getroot().iter("testcase"):
        st = "PASS"
        msg = ""
        for tag in ("failure", "error", "skipped"):
            e = tc.find(tag)
            if e is not None:
                st = {"failure": "FAIL", "error": "ERROR", "skipped": "SKIP"}[tag]
                msg = (e.get("message") or (e.text or "")).strip().splitlines()[0][:150] if (e.get("message") or e.text) else ""
        rows.append((tc.get("classname").split(".")[-1], tc.get("name"), st, float(tc.get("time") or 0), msg))
print("| class | test | result | s | note |\n|---|---|---|---|---|")
for r in sorted(rows):
    print("| %s | %s | %s | %.2f | %s |" % r)
n = {s: sum(1 for r in rows if r[2] == s) for s in ("PASS", "FAIL", "ERROR", "SKIP")}
print("\ntotals:", n)
diffs = [l.strip() for l in open(sys.argv[2], errors="replace") if l.startswith("[cuda]")]
if diffs:
    print("\n| fixture comparison (CUDA vs transformers f32) |\n|---|")
    for d in diffs: print("|", d[7:], "|")
PY
  sed -n '/^Failures (/,$p' "$OUT/tests.log" | grep -v "^\s*\(org\.junit\|java\.base\|\[\.\.\.\]\)" | head -80
fi

if [[ "$what" == bench || "$what" == all ]]; then
  # drllm bench on random-weight checkpoints, then transformers on the same files (same run, same GPU)
  runs=("--shape tiny --prompt 64 --new 32"
        "--shape llama-3.2-1b --prompt 512 --new 128 --routers random"
        "--shape llama-3.2-3b --prompt 512 --new 128 --skip 5"
        "--shape llama-3.2-1b --prompt 512 --new 128 --batch 16 --skip 3")
  [[ -n "${BENCH_RUNS:-}" ]] && IFS=';' read -r -a runs <<<"$BENCH_RUNS"
  for a in "${runs[@]}"; do
    echo "## drllm bench --device cuda $a"
    timeout "${BENCH_TIMEOUT:-100}" "$JAVA" "${FLAGS[@]}" -jar "$DEV/drllm.jar" bench --device cuda $a 2>&1
  done >"$OUT/bench.log"
  for shape in ${ANCHOR_SHAPES:-llama-3.2-1b llama-3.2-3b}; do
    echo "## bench/pytorch_anchor.py --model /tmp/drllm-bench/$shape --prompt 512 --new 128"
    PYTHONUNBUFFERED=1 timeout "${BENCH_TIMEOUT:-100}" python3 "$DEV/pytorch_anchor.py" --model "/tmp/drllm-bench/$shape" --prompt 512 --new 128 2>&1 | grep -v Warning
  done >>"$OUT/bench.log"
  grep -v "^BENCH_JSON\|^ANCHOR_JSON" "$OUT/bench.log"
  python3 - "$OUT/bench.log" <<'PY'
import json, sys
bench, anchor = [], {}
for l in open(sys.argv[1], errors="replace"):
    if l.startswith("BENCH_JSON "): bench.append(json.loads(l[11:]))
    if l.startswith("ANCHOR_JSON "):
        a = json.loads(l[12:]); anchor[(a["model"], a["batch"])] = a
print("\n| shape | batch | path | mode | layers | prefill ms | decode tok/s | step ms | HBM roofline % | PyTorch eager tok/s | drllm / eager |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for b in bench:
    a = anchor.get((b["shape"], b["batch"]))
    for r in b["rows"]:
        eager = "%.1f" % a["eager_decode_tok_s"] if a else ""
        ratio = "%.1fx" % (r["decode_tok_s"] / a["eager_decode_tok_s"]) if a else ""
        print("| %s | %d | %s | %s | %d | %.1f | %.1f | %.3f | %.0f | %s | %s |" % (b["shape"], b["batch"], r["path"], r["mode"], r["layers_run"],
              r["prefill_ms"], r["decode_tok_s"], r["step_ms"], 100 * r["roofline_fraction"], eager, ratio))
PY
fi
