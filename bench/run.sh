#!/usr/bin/env bash
# CPU speed benchmarks: one command, one table (docs/results/cpu-speed.md).
#   bench/run.sh            everything (~12 min on 2 cores, plus a few minutes the first time: the 1B checkpoint and its GGUF twin,
#                           ~2.5 GB each, are generated once under bench/data/)
#   bench/run.sh quick      shorter JMH iterations (smoke run; numbers noisier)
#   bench/run.sh summary    only re-print the table from bench/results/
#   bench/run.sh quant      only the quantized rows: Q8_0 / Q4_K_M matvec and 1B decode / prefill, and llama.cpp on the same files
# Needs JDK 25 (JAVA_HOME or /usr/lib/jvm/temurin-25-jdk-amd64), Maven, and node + npm for the
# llama.cpp peer run (node-llama-cpp is installed under bench/.peer/ on first use).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
THREADS=${DRLLM_BENCH_THREADS:-2}
RESULTS=bench/results
JAR=bench/target/benchmarks.jar
MODE=${1:-full}
FLAGS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED)
mkdir -p "$RESULTS" bench/data

summary() { "$JAVA" "${FLAGS[@]}" -cp "$JAR" dev.drllm.bench.Summary "$RESULTS" "$ROOT" 2>/dev/null; }
# drllm and llama.cpp side by side on one GGUF twin, in alternating rounds (bench Duel; DRLLM_DUEL_ROUNDS, default 6)
duel() {
  "$JAVA" "${FLAGS[@]}" -Xmx6g -Ddrllm.threads="$THREADS" -cp "$JAR" dev.drllm.bench.Duel \
    "$ROOT/bench/data/llama-1b-random.$1.gguf" "$THREADS" "${DRLLM_DUEL_ROUNDS:-6}" "$RESULTS/duel-$1.json" bench/.peer/llamacpp.mjs
}
if [[ $MODE == summary ]]; then summary; exit 0; fi

echo "== build (engine installed to the local Maven repository, then the benchmark jar)"
mvn -q -B -DskipTests install
mvn -q -B -f bench/pom.xml clean package   # clean: shading over a stale jar kept old engine classes

echo "== 1B-shaped random checkpoint and its GGUF twin (once)"
"$JAVA" "${FLAGS[@]}" -Xmx3g -cp "$JAR" dev.drllm.bench.MakeCheckpoint bench/data/llama-1b-random
"$JAVA" "${FLAGS[@]}" -Xmx1g -cp "$JAR" dev.drllm.bench.GgufWriter bench/data/llama-1b-random bench/data/llama-1b-random.bf16.gguf
# quantized twins, both engines run the same file: Q8_0 from drllm's writer (llama.cpp's reference quantizer, the same
# bytes), Q4_K_M from llama.cpp's own llama-quantize when LLAMA_QUANTIZE names it (../shared/tools/build-llama-quantize.sh)
"$JAVA" "${FLAGS[@]}" -Xmx1g -cp "$JAR" dev.drllm.bench.GgufWriter bench/data/llama-1b-random bench/data/llama-1b-random.q8_0.gguf q8_0
if [[ ! -f bench/data/llama-1b-random.q4_k_m.gguf ]]; then
  if [[ -x ${LLAMA_QUANTIZE:-} ]]; then
    "$LLAMA_QUANTIZE" bench/data/llama-1b-random.bf16.gguf bench/data/llama-1b-random.q4_k_m.gguf Q4_K_M "$THREADS" > bench/data/llama-quantize.log 2>&1
  else
    "$JAVA" "${FLAGS[@]}" -Xmx1g -cp "$JAR" dev.drllm.bench.GgufWriter bench/data/llama-1b-random bench/data/llama-1b-random.q4_k_m.gguf q4_k_m
  fi
fi

# the CPU by name, family / model (two "AMD EPYC" VMs of this project differ: family 25 = Zen 3, 26 = Zen 5) and vector ISA
cpu_field() { grep -m1 "^$1[[:space:]]*:" /proc/cpuinfo | cut -d: -f2 | xargs; }
isa=$(grep -qw avx512f /proc/cpuinfo && echo AVX-512 || { grep -qw avx2 /proc/cpuinfo && echo AVX2 only || echo no AVX2; })
{ echo "machine: $(cpu_field 'model name') (family $(cpu_field 'cpu family') model $(cpu_field model), $isa), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"; echo "date: $(date -u +%FT%TZ)"; echo "threads: $THREADS"; } > "$RESULTS/machine.txt"
cat "$RESULTS/machine.txt"

# -jvmArgsAppend on the command line replaces the @Fork one, so it repeats the module flags
JMH=("$JAVA" -jar "$JAR" -jvmArgsAppend "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx6g -Ddrllm.threads=$THREADS -Ddrllm.root=$ROOT")
if [[ $MODE == quick ]]; then JMH+=(-wi 1 -i 2 -w 2s -r 3s); fi
if [[ $MODE == quant ]]; then
  # bandwidth (the roofline basis), the quantized and half matvec / GEMM kernels, the 1B GGUF twins; then llama.cpp on the same files
  RESULTS=bench/results/quant
  mkdir -p "$RESULTS"
  cp bench/results/machine.txt "$RESULTS/machine.txt"
  JMH+=(-wi 1 -i 3 -w 3s -r 4s)
  "${JMH[@]}" 'MemoryBandwidthBench' -p threads=2 -rf json -rff "$RESULTS/jmh-1-bandwidth.json"
  # the f32 FMA ceiling on 1 and 2 threads: says whether the two threads had a core each (see ComputeBench)
  "${JMH[@]}" 'ComputeBench' -rf json -rff "$RESULTS/jmh-1c-compute.json"
  "${JMH[@]}" 'MatvecBench' -p dtype=BF16,F16,Q8_0,Q4_0,Q4_K,Q6_K -p tokens=1 -rf json -rff "$RESULTS/jmh-2-matvec.json"
  "${JMH[@]}" 'ModelBench.decode' -p model=1b-q8_0,1b-q4_k_m -p path=full -rf json -rff "$RESULTS/jmh-3-decode.json"
  "${JMH[@]}" 'ModelBench.prefill' -p model=1b-q8_0,1b-q4_k_m -p path=full -rf json -rff "$RESULTS/jmh-4-prefill.json"
  if [[ ! -d bench/.peer/node_modules/node-llama-cpp ]]; then
    mkdir -p bench/.peer
    [[ -f bench/.peer/package.json ]] || echo '{"name":"drllm-peer","private":true,"type":"module"}' > bench/.peer/package.json
    (cd bench/.peer && npm install --no-audit --no-fund node-llama-cpp@3.22.1)
  fi
  cp bench/llamacpp.mjs bench/.peer/llamacpp.mjs
  duel q8_0
  duel q4_k_m
  # again at the end (2 threads): the host may have moved the vCPUs meanwhile
  "${JMH[@]}" 'ComputeBench' -p threads=2 -rf json -rff "$RESULTS/compute-end.json"
  echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$RESULTS/machine.txt"
  cat "$RESULTS/machine.txt"
  summary
  exit 0
fi
echo "== JMH: memory bandwidth and matvec kernels"
"${JMH[@]}" 'MemoryBandwidthBench' -rf json -rff "$RESULTS/jmh-1-bandwidth.json"
"${JMH[@]}" 'ComputeBench' -rf json -rff "$RESULTS/jmh-1c-compute.json"
"${JMH[@]}" 'MatvecBench' -rf json -rff "$RESULTS/jmh-2-matvec.json"
echo "== JMH: decode, prefill, routing on the tiny model and the 1B shape"
"${JMH[@]}" 'ModelBench.decode' -rf json -rff "$RESULTS/jmh-3-decode.json"
"${JMH[@]}" 'ModelBench.prefill' -rf json -rff "$RESULTS/jmh-4-prefill.json"
"${JMH[@]}" 'ModelBench.route' -p path=full -rf json -rff "$RESULTS/jmh-5-route.json"

echo "== llama.cpp peer run ($THREADS threads)"
if [[ ! -d bench/.peer/node_modules/node-llama-cpp ]]; then
  mkdir -p bench/.peer
  [[ -f bench/.peer/package.json ]] || echo '{"name":"drllm-peer","private":true,"type":"module"}' > bench/.peer/package.json
  (cd bench/.peer && npm install --no-audit --no-fund node-llama-cpp@3.22.1)
fi
cp bench/llamacpp.mjs bench/.peer/llamacpp.mjs
duel bf16
duel q8_0
duel q4_k_m
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$RESULTS/machine.txt"

echo "== summary"
cat "$RESULTS/machine.txt"
summary
