// Shared helpers for the drllm kernels: bf16 conversion, warp / block reductions.
// Every kernel is extern "C" so the Java side finds it by its plain name (native/drllm_kernels.h).
#pragma once
#include <cuda_bf16.h>
#include <stdint.h>

typedef __nv_bfloat16 bf16;

__device__ __forceinline__ float bf2f(bf16 v) { return __bfloat162float(v); }
__device__ __forceinline__ bf16 f2bf(float v) { return __float2bfloat16_rn(v); }

__device__ __forceinline__ float warp_sum(float v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

__device__ __forceinline__ float warp_max(float v) {
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
    return v;
}

// Sum over the whole block (blockDim.x a multiple of 32, at most 1024); every thread gets the result.
__device__ __forceinline__ float block_sum(float v) {
    __shared__ float part[32];
    __shared__ float total;
    v = warp_sum(v);
    int w = threadIdx.x >> 5, lane = threadIdx.x & 31;
    __syncthreads();
    if (lane == 0) part[w] = v;
    __syncthreads();
    if (w == 0) {
        float s = lane < (int)(blockDim.x >> 5) ? part[lane] : 0.f;
        s = warp_sum(s);
        if (lane == 0) total = s;
    }
    __syncthreads();
    return total;
}

// Row r of a batch is active when r < *nActive (null: every row). Batched decode gathers the
// sequences that run a pass into the first *nActive rows (graph.cu).
__device__ __forceinline__ bool row_active(const int* nActive, int r) {
    return nActive == nullptr || r < *nActive;
}

// The sequence a row belongs to: rowSeq[r] after a gather, else 0 (one sequence, rows are tokens).
__device__ __forceinline__ int row_seq(const int* rowSeq, int r) { return rowSeq ? rowSeq[r] : 0; }

// Position of row r: decode rows (rowSeq set) sit at their sequence's length; prefill rows
// (rowSeq null) are consecutive tokens after seqPos[0].
__device__ __forceinline__ int row_pos(const int* rowSeq, const int* seqPos, int r) {
    return rowSeq ? seqPos[rowSeq[r]] : seqPos[0] + r;
}

__device__ __forceinline__ float silu(float v) { return v / (1.f + expf(-v)); }
