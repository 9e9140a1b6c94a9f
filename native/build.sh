#!/usr/bin/env bash
# Builds kernels/*.cu into one fatbin (sm_80 + sm_90 machine code, compute_90 PTX for newer GPUs).
# Called by the Maven build (generate-resources); usage: native/build.sh OUTPUT.fatbin
# Without nvcc it prints why and exits 0: the CUDA backend then reports itself unavailable.
set -euo pipefail
out="$1"
here="$(cd "$(dirname "$0")" && pwd)"
nvcc="${NVCC:-}"
if [[ -z "$nvcc" ]]; then
  for c in nvcc "${CUDA_HOME:-/nonexistent}/bin/nvcc" /usr/local/cuda/bin/nvcc /usr/local/cuda-13.0/bin/nvcc; do
    if command -v "$c" >/dev/null 2>&1; then nvcc="$(command -v "$c")"; break; fi
  done
fi
if [[ -z "$nvcc" ]]; then
  echo "[drllm] nvcc not found (set NVCC or CUDA_HOME): CUDA kernels not built, the cuda backend will be unavailable"
  exit 0
fi
srcs=("$here"/drllm_kernels.cu "$here"/drllm_kernels.h "$here"/../kernels/*.cu "$here"/../kernels/*.cuh)
if [[ -f "$out" ]]; then
  newer=0
  for s in "${srcs[@]}"; do [[ "$s" -nt "$out" ]] && newer=1; done
  if [[ $newer == 0 ]]; then echo "[drllm] $out is up to date"; exit 0; fi
fi
mkdir -p "$(dirname "$out")"
# No --use_fast_math: the CPU backend is the reference, and expf / cosf must stay accurate.
"$nvcc" -fatbin --threads 0 -O3 -std=c++17 \
  -gencode arch=compute_80,code=sm_80 \
  -gencode arch=compute_90,code=sm_90 \
  -gencode arch=compute_90,code=compute_90 \
  -o "$out.tmp" "$here/drllm_kernels.cu"
mv "$out.tmp" "$out"
echo "[drllm] built $out with $nvcc"
