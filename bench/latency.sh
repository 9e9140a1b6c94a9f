#!/usr/bin/env bash
# Issue 16's latency figures in one run (run under: flock /work/cpu.lock bench/latency.sh):
#   - LatencyBench (JMH SampleTime): time to first token of a 32-token prompt and per-token decode
#     latency, tiny and 1B, 1 and 2 concurrent sessions -> p50 / p99 / p99.9 / max
#   - KernelsBench through bench/kernels.sh (SKIP_KERNELS=1 leaves it out)
#   - GcCheck: a 10,000-token generation loop on the tiny model under JFR, counting collections
# Results: bench/results/latency-*.json, kernels.json, gc-check.{txt,jfr}; the table on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
THREADS=${DRLLM_BENCH_THREADS:-2}
R=bench/results
JAR=bench/target/benchmarks.jar
mkdir -p "$R"
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  mvn -q -B -DskipTests -Ddrllm.aot.skip=true install
  mvn -q -B -f bench/pom.xml package
fi
[ -d bench/data/llama-1b-random ] || "$JAVA" --add-modules jdk.incubator.vector -Xmx3g -cp "$JAR" dev.drllm.bench.MakeCheckpoint bench/data/llama-1b-random
echo "machine: $(lscpu | grep 'Model name' | sed 's/Model name: *//'), $(nproc) cores; threads per model: $THREADS; date $(date -u +%FT%TZ)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
JMH=("$JAVA" -jar "$JAR" -jvmArgsAppend "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx6g -Ddrllm.threads=$THREADS -Ddrllm.root=$ROOT")
read -r -a LAT <<< "${LATENCY_OPTS:-}"   # e.g. LATENCY_OPTS="-i 5" for more samples than the annotations' 3 × 10 s
for t in 1 2; do
  "${JMH[@]}" 'LatencyBench' "${LAT[@]}" -t $t -rf json -rff "$R/latency-t$t.json" | grep -E '^(Benchmark|LatencyBench)' || true
done
[[ ${SKIP_KERNELS:-0} = 1 ]] || SKIP_BUILD=1 bench/kernels.sh
"$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx1g -Ddrllm.threads=$THREADS -cp "$JAR" dev.drllm.bench.GcCheck models/drllm-tiny 10000 "$R/gc-check.jfr" 2>&1 | grep -v 'incubator modules' | tee "$R/gc-check.txt"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$R" <<'PY'
import json, sys, os
r = sys.argv[1]
print("\n| benchmark | model | sessions | samples | p50 ms | p99 ms | p99.9 ms | max ms |\n|---|---|---|---|---|---|---|---|")
for t in (1, 2):
    f = os.path.join(r, f"latency-t{t}.json")
    if not os.path.exists(f): continue
    for b in json.load(open(f)):
        m = b["primaryMetric"]; p = m["scorePercentiles"]
        # SampleTime: rawDataHistogram = per fork, per iteration, [value, count] pairs
        n = sum(c for fork in m.get("rawDataHistogram", []) for it in fork for _, c in it)
        print(f"| {b['benchmark'].split('.')[-1]} | {b['params']['model']} | {t} | {n} | "
              f"{p['50.0']:.2f} | {p['99.0']:.2f} | {p['99.9']:.2f} | {p['100.0']:.2f} |")
PY
