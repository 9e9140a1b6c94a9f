// RMSNorm as transformers computes it in f32: w * (x * rsqrt(mean(x^2) + eps)).
// Fused with the residual add (x += delta before normalising) so a block's second norm is one pass.
#include "common.cuh"

// One block per row. delta may be null (plain norm). Output as f32 (outF) and/or bf16 (outB, the
// cuBLAS input); either may be null. Rows outside *nActive are left alone.
extern "C" __global__ void add_rmsnorm(float* __restrict__ x, const float* __restrict__ delta,
                                       const float* __restrict__ w, float* __restrict__ outF,
                                       bf16* __restrict__ outB, int H, float eps, const int* nActive) {
    int r = blockIdx.x;
    if (!row_active(nActive, r)) return;
    float* xr = x + (size_t)r * H;
    float ss = 0.f;
    for (int i = threadIdx.x; i < H; i += blockDim.x) {
        float v = xr[i];
        if (delta) { v += delta[(size_t)r * H + i]; xr[i] = v; }
        ss += v * v;
    }
    float inv = rsqrtf(block_sum(ss) / H + eps);
    for (int i = threadIdx.x; i < H; i += blockDim.x) {
        float v = w[i] * (xr[i] * inv);
        if (outF) outF[(size_t)r * H + i] = v;
        if (outB) outB[(size_t)r * H + i] = f2bf(v);
    }
}

// Per-head RMSNorm (Qwen3 q_norm / k_norm) of one head held by the calling block: one element per
// thread, blockDim.x = hd rounded up to a warp (threads past hd pass v = 0). Used by qkv_post.
__device__ __forceinline__ float head_rmsnorm(float v, const float* w, int hd, float eps) {
    __shared__ float part[32];
    float s = warp_sum(v * v);
    int wi = threadIdx.x >> 5, lane = threadIdx.x & 31;
    __syncthreads();
    if (lane == 0) part[wi] = s;
    __syncthreads();
    float tot = 0.f;
    for (int k = 0; k < (int)(blockDim.x >> 5); k++) tot += part[k];
    return threadIdx.x < hd ? w[threadIdx.x] * (v * rsqrtf(tot / hd + eps)) : 0.f;
}
