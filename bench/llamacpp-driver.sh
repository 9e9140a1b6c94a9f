# Sourced by bench/llamacpp-answers.sh and bench/llamacpp-logits.sh (from the repository root, after
# `set -euo pipefail`): JDK 25 on PATH, `lock` (flock CPU_LOCK when set), the llama.cpp build under
# LLAMA_CPP_SRC (default ../.llama.cpp/src, what ../shared/tools/build-llama-quantize.sh makes) checked,
# target/drllm.jar built when missing, and the driver bench/llamacpp-answers.cpp compiled against its
# libllama when older than its source.
#   llamacpp_driver NAME DRIVER [TOOL ...]  checks the build (and that each TOOL is in its build/bin),
#                                           then sets LLAMA_CPP_SRC (absolute) and BIN and builds DRIVER
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH=$JAVA_HOME/bin:$PATH
lock() { if [[ -n ${CPU_LOCK:-} ]]; then flock "$CPU_LOCK" "$@"; else "$@"; fi; }

llamacpp_driver() {
  local name=$1 driver=$2 wanted=${LLAMA_CPP_SRC:-../.llama.cpp/src} tool missing=()
  shift 2
  LLAMA_CPP_SRC=$(cd "$wanted" 2>/dev/null && pwd || true)
  [[ -n $LLAMA_CPP_SRC && -f $LLAMA_CPP_SRC/include/llama.h ]] || missing+=(include/llama.h)
  [[ -n $LLAMA_CPP_SRC && -e $LLAMA_CPP_SRC/build/bin/libllama.so ]] || missing+=(build/bin/libllama.so)
  for tool in "$@"; do [[ -n $LLAMA_CPP_SRC && -x $LLAMA_CPP_SRC/build/bin/$tool ]] || missing+=("build/bin/$tool"); done
  if (( ${#missing[@]} )); then
    echo "$name: no llama.cpp build under '$wanted' (missing: ${missing[*]});" \
         "make one with ../shared/tools/build-llama-quantize.sh, or set LLAMA_CPP_SRC" >&2
    exit 2
  fi
  BIN=$LLAMA_CPP_SRC/build/bin
  [[ -f target/drllm.jar ]] || lock mvn -q -B package -DskipTests
  mkdir -p "$(dirname "$driver")"
  if [[ ! -x $driver || bench/llamacpp-answers.cpp -nt $driver ]]; then
    lock g++ -O2 -std=c++17 -I"$LLAMA_CPP_SRC/include" -I"$LLAMA_CPP_SRC/ggml/include" bench/llamacpp-answers.cpp \
        -L"$BIN" -lllama -lggml -lggml-base -Wl,-rpath,"$BIN" -o "$driver"
  fi
}
