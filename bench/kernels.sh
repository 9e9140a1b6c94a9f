#!/usr/bin/env bash
# KernelsBench (JMH, average time): one benchmark per public kernel of dev.drllm.kernels. matmul for
# every weight type the engine reads (float and GGUF block types) at 1 and 32 tokens; the other
# kernels (weight-type independent) once, at 1 and 32 tokens. Short JMH settings by default
# (JMH_OPTS="-f 1 -wi 3 -i 5 -w 1s -r 1s"); results bench/results/kernels-*.json and a table on stdout.
#   bench/kernels.sh            (run under: flock /work/cpu.lock bench/kernels.sh; SKIP_BUILD=1 reuses the jar)
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
THREADS=${DRLLM_BENCH_THREADS:-2}
R=bench/results
JAR=bench/target/benchmarks.jar
read -r -a OPTS <<< "${JMH_OPTS:--f 1 -wi 3 -i 5 -w 1s -r 1s}"
mkdir -p "$R"
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  mvn -q -B -DskipTests -Ddrllm.aot.skip=true install
  mvn -q -B -f bench/pom.xml clean package
fi
echo "machine: $(lscpu | grep 'Model name' | sed 's/Model name: *//'), $(nproc) cores; threads: $THREADS; date $(date -u +%FT%TZ); commit $(git rev-parse --short HEAD)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
JMH=("$JAVA" -jar "$JAR" "${OPTS[@]}" -jvmArgsAppend "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx2g -Ddrllm.threads=$THREADS")
"${JMH[@]}" 'KernelsBench.matmul' -rf json -rff "$R/kernels-matmul.json" | grep -E '^(Benchmark|KernelsBench)' || true
"${JMH[@]}" 'KernelsBench.(rmsnorm|ropeTables|rope|attention|siluMul|softmax|routerLogits)' -p type=BF16 -rf json -rff "$R/kernels-other.json" \
  | grep -E '^(Benchmark|KernelsBench)' || true
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$R" <<'PY'
import json, sys, os
r = sys.argv[1]
H = 2048
print("\n| kernel | weight type | tokens | µs/op | matmul: weight GB/s (1 token), GFLOP/s (32) |\n|---|---|---|---|---|")
size = {"F32": 4, "F16": 2, "BF16": 2, "Q8_0": 34/32, "Q4_0": 18/32, "Q4_1": 20/32, "Q5_0": 22/32, "Q5_1": 24/32,
        "Q4_K": 144/256, "Q5_K": 176/256, "Q6_K": 210/256}
for name in ("kernels-matmul.json", "kernels-other.json"):
    f = os.path.join(r, name)
    if not os.path.exists(f): continue
    for b in json.load(open(f)):
        k = b['benchmark'].split('.')[-1]; t = b['params'].get('type'); n = int(b['params'].get('tokens'))
        s, e = b['primaryMetric']['score'], b['primaryMetric']['scoreError']
        rate = ""
        if k == "matmul":
            rate = f"{H * H * size[t] / (s * 1e3):.0f} GB/s" if n == 1 else f"{2 * H * H * n / (s * 1e3):.0f} GFLOP/s"
        print(f"| {k} | {t if k == 'matmul' else '–'} | {n} | {s:,.1f} ± {e:,.1f} | {rate} |")
PY
