// SwiGLU for the cuBLAS (prefill) path: h[t, i] = silu(gu[t, i]) * gu[t, F + i], gu being the fused
// gate|up projection [T, 2F]. (Decode fuses this into gemv_bf16's staging, mode 2.)
#include "common.cuh"

extern "C" __global__ void swiglu(const float* __restrict__ gu, float* __restrict__ outF, bf16* __restrict__ outB,
                                  int T, int F) {
    int t = blockIdx.x;
    if (t >= T) return;
    const float* g = gu + (size_t)t * 2 * F;
    for (int i = threadIdx.x; i < F; i += blockDim.x) {
        float v = silu(g[i]) * g[F + i];
        if (outF) outF[(size_t)t * F + i] = v;
        if (outB) outB[(size_t)t * F + i] = f2bf(v);
    }
}
