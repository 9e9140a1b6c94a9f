#!/usr/bin/env bash
# Regenerates src/main/java/dev/drllm/cuda/bind/{cuda_h,cublas_api_h}.java with jextract (JDK 25
# build, https://jdk.java.net/jextract/) from the CUDA 13 headers, restricted to the symbols drllm
# uses (jextract/*.symbols: the exported, versioned names such as cuMemAlloc_v2).
# The committed files were written by hand in jextract's output shape because jextract is not
# installed on the build machines; this script is how to replace them with generated ones.
# usage: jextract/regenerate.sh [CUDA_HOME]   (needs jextract on PATH and CUDA's include/ with cublas_api.h)
set -euo pipefail
cuda="${1:-${CUDA_HOME:-/usr/local/cuda}}"
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../src/main/java"
command -v jextract >/dev/null || { echo "jextract not on PATH" >&2; exit 2; }
[[ -f "$cuda/include/cuda.h" ]] || { echo "no $cuda/include/cuda.h" >&2; exit 2; }
[[ -f "$cuda/include/cublas_api.h" ]] || { echo "no $cuda/include/cublas_api.h (install the cuBLAS dev headers)" >&2; exit 2; }
fns() { sed 's/^/--include-function /' "$1" | tr '\n' ' '; }
consts_cuda="CUDA_SUCCESS CUDA_ERROR_NOT_READY CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR
 CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES
 CU_STREAM_NON_BLOCKING CU_STREAM_CAPTURE_MODE_GLOBAL CU_STREAM_CAPTURE_MODE_THREAD_LOCAL CU_STREAM_CAPTURE_MODE_RELAXED CU_EVENT_DEFAULT
 CU_GRAPH_NODE_TYPE_KERNEL CU_GRAPH_NODE_TYPE_CONDITIONAL CU_GRAPH_COND_TYPE_IF CU_GRAPH_COND_TYPE_WHILE CU_GRAPH_COND_TYPE_SWITCH
 CU_GRAPH_COND_ASSIGN_DEFAULT"
consts_cublas="CUBLAS_STATUS_SUCCESS CUBLAS_OP_N CUBLAS_OP_T CUDA_R_32F CUDA_R_16BF CUBLAS_COMPUTE_32F CUBLAS_GEMM_DEFAULT CUBLAS_DEFAULT_MATH"
# shellcheck disable=SC2046
jextract --output "$out" -t dev.drllm.cuda.bind --header-class-name cuda_h -l :libcuda.so.1 \
  -I "$cuda/include" $(fns "$here/cuda.symbols") $(for c in $consts_cuda; do echo --include-constant "$c"; done) \
  --include-struct CUgraphNodeParams_st --include-struct CUDA_CONDITIONAL_NODE_PARAMS \
  "$cuda/include/cuda.h"
# shellcheck disable=SC2046
jextract --output "$out" -t dev.drllm.cuda.bind --header-class-name cublas_api_h -l :libcublas.so.13 \
  -I "$cuda/include" $(fns "$here/cublas_api.symbols") $(for c in $consts_cublas; do echo --include-constant "$c"; done) \
  "$cuda/include/cublas_api.h"
echo "regenerated; the generated struct classes replace the CUgraphNodeParams_* offsets in cuda_h (update CudaGraphs to use them)"
