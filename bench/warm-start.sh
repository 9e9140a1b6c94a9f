#!/usr/bin/env bash
# Cold vs warm, before vs after (issue 16), side by side in one run:
#   cold  = a whole `drllm generate` process (wall time, and the prefill ms / decode tok/s it prints)
#   warm  = the same generation repeated in one JVM (bench/WarmStart.java), last of REPS runs
# on the tiny model (34-token prompt, 1 new token; --static-routing, as WarmStart runs every layer)
# and on the 1B shape (bench/data/llama-1b-random, 128 random ids, 16 new tokens). The tiny model's
# default, routed one-token reply is timed too (what a user types). BEFORE is built from git in a
# temp directory; "after" is this checkout (mvn package first: it also writes the AOT cache).
#   bench/warm-start.sh BEFORE_COMMIT [RUNS]     (run under: flock /work/bench.lock ...)
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BEFORE=${1:?usage: bench/warm-start.sh BEFORE_COMMIT [RUNS]}
RUNS=${2:-3}
MODELS=${MODELS:-tiny 1b}   # MODELS=1b bench/warm-start.sh ... times one model only
WARM=${WARM:-1}   # WARM=0 skips the in-process warm runs
VARIANTS=${VARIANTS:-before after}   # add after-noaot: this checkout with DRLLM_NO_AOT=1 (the launcher without its AOT cache)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
OLD=/tmp/drllm-before-$BEFORE
if [ ! -f "$OLD/target/drllm.jar" ]; then
  rm -rf "$OLD" && mkdir -p "$OLD"
  git archive "$BEFORE" | tar -x -C "$OLD"
  (cd "$OLD" && mvn -q -B -DskipTests package >/dev/null 2>&1) || { echo "building $BEFORE failed"; exit 1; }
fi
[ -f target/drllm.jar ] || { echo "build this checkout first: mvn -q package -DskipTests"; exit 1; }
ONEB=bench/data/llama-1b-random
[ -d "$ONEB" ] || { echo "missing $ONEB (bench/run.sh makes it)"; exit 1; }
PROMPT='Question: Which number is even?
(A) 99
(B) 67
(C) 33
(D) 88
Answer: '
IDS=$(python3 -c "import random; r=random.Random(11); print(','.join(str(r.randrange(3,128256)) for _ in range(128)))")

echo "machine: $(lscpu | grep 'Model name' | sed 's/Model name: *//'), $(nproc) cores; drllm threads: ${DRLLM_THREADS:-all cores}"
echo "date: $(date -u +%FT%TZ); before: $BEFORE ($(git log -1 --format=%s "$BEFORE" | cut -c1-60)); after: $(git rev-parse --short HEAD)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"

# one cold process: prints "wall prefill_ms decode_tok_s"
cold() {
  local launcher=$1; shift
  local t0 t1 out
  t0=$(date +%s.%N)
  out=$("$launcher" generate "$@" --json 2>/dev/null)
  t1=$(date +%s.%N)
  python3 -c "import json,sys; o=json.loads(sys.argv[1]); print('%.2f %.1f %.2f' % ($t1-$t0, o['prefill_ms'], o['decode_tokens_per_s']))" "$out"
}
# warm: the median prefill ms and decode tok/s of the last 5 runs in one JVM (and how many runs it made)
warm() {
  local jar=$1; shift
  "$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$jar" bench/WarmStart.java "$@" 2>/dev/null | python3 -c "
import re, sys, statistics as st
runs = [(float(m.group(1)), float(m.group(2))) for m in (re.search(r'prefill ([0-9.]+) ms.*decode ([0-9.]+) tok/s', l) for l in sys.stdin) if m]
last = runs[-5:]
print('%d runs; last 5 median: prefill %.1f ms, decode %.2f tok/s' % (len(runs), st.median(p for p, _ in last), st.median(d for _, d in last)))"
}

for i in $(seq "$RUNS"); do
  for v in $VARIANTS; do
    L=./drllm; [ $v = before ] && L="$OLD/drllm"
    if [ $v = after-noaot ]; then export DRLLM_NO_AOT=1; else unset DRLLM_NO_AOT; fi
    if [[ " $MODELS " == *" tiny "* ]]; then
      echo "cold $v tiny routed-default 1 token: $(cold "$L" --model models/drllm-tiny --prompt "$PROMPT" --max-new-tokens 1)"
      echo "cold $v tiny all-layers 1 token: $(cold "$L" --model models/drllm-tiny --prompt "$PROMPT" --max-new-tokens 1 --static-routing)"
    fi
    [[ " $MODELS " == *" 1b "* ]] && echo "cold $v 1b 128+16: $(cold "$L" --model $ONEB --ids "$IDS" --max-new-tokens 16)"
  done
done
unset DRLLM_NO_AOT
[ "${WARM:-1}" = 0 ] || for v in before after; do
  J=target/drllm.jar; [ $v = before ] && J="$OLD/target/drllm.jar"
  [[ " $MODELS " == *" tiny "* ]] && echo "warm $v tiny: $(warm "$J" models/drllm-tiny "text:$PROMPT" 1 10)"
  [[ " $MODELS " == *" 1b "* ]] && echo "warm $v 1b: $(warm "$J" $ONEB "ids:$IDS" 16 4)"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
