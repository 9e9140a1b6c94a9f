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

if [[ "$what" == tests || "$what" == all ]]; then
  mkdir -p /tmp/drllm-tc && tar xzf "$DEV/test-classes.tgz" -C /tmp/drllm-tc
  t0=$(date +%s)
  "$JAVA" "${FLAGS[@]}" -jar "$DEV/junit-console.jar" execute \
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
  grep -B2 -A12 "MethodSource\|Exception" "$OUT/tests.log" | head -120
fi

if [[ "$what" == bench || "$what" == all ]]; then
  BENCH_ARGS="${BENCH_ARGS:---shape tiny}"
  "$JAVA" "${FLAGS[@]}" -jar "$DEV/drllm.jar" bench --device cuda $BENCH_ARGS 2>&1 | tee "$OUT/bench.log"
fi
