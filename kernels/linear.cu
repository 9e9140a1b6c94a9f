// Linear layers y[t, o] = sum_i x'[t, i] * W[o, i] (+ bias[o]) (+= y when accumulating), W bf16
// [out, in] as stored in the checkpoint, x and y f32, f32 accumulation.
//
// gemv_bf16_tN serves decode and short prompts (T up to a few tokens per tile): it is bound by
// streaming W once from HBM, so each warp owns whole rows, reads 16-byte chunks (8 bf16) with four
// loads in flight, and the block stages its tokens' inputs in shared memory once. The input may be
// transformed while staging, which fuses the neighbouring elementwise kernels away:
//   mode 0: x' = x
//   mode 1: x' = rmsnorm(x) * normW            (input / post-attention norm before q|k|v, gate|up)
//   mode 2: x' = silu(x[:, i]) * x[:, in + i]  (SwiGLU before down_proj; x is the gate|up output)
// Longer prompts go through cuBLAS (CudaBackend), with to_bf16 / bias_add below around it.
#include "common.cuh"

__device__ __forceinline__ void acc8(float& a, uint4 w, const float* x) {
    const __nv_bfloat162* p = reinterpret_cast<const __nv_bfloat162*>(&w);
#pragma unroll
    for (int k = 0; k < 4; k++) {
        float2 f = __bfloat1622float2(p[k]);
        a += f.x * x[2 * k] + f.y * x[2 * k + 1];
    }
}

template <int TT>
__device__ void gemv_impl(const float* __restrict__ x, int xStride, int mode, const float* __restrict__ normW, float eps,
                          const bf16* __restrict__ W, const float* __restrict__ bias, float* __restrict__ y, int yStride,
                          int accumulate, int T, int in, int out, const int* nActive) {
    extern __shared__ float xs[];  // [TT][in]
    int warp = threadIdx.x >> 5, lane = threadIdx.x & 31, nw = blockDim.x >> 5;
    int nAct = nActive ? min(*nActive, T) : T;
    for (int t0 = 0; t0 < nAct; t0 += TT) {
        int tn = min(TT, nAct - t0);
        __syncthreads();
        for (int t = 0; t < tn; t++) {
            const float* xr = x + (size_t)(t0 + t) * xStride;
            float inv = 1.f;
            if (mode == 1) {
                float ss = 0.f;
                for (int i = threadIdx.x; i < in; i += blockDim.x) ss += xr[i] * xr[i];
                inv = rsqrtf(block_sum(ss) / in + eps);
            }
            for (int i = threadIdx.x; i < in; i += blockDim.x) {
                float v;
                if (mode == 2) v = silu(xr[i]) * xr[in + i];
                else if (mode == 1) v = normW[i] * (xr[i] * inv);
                else v = xr[i];
                xs[t * in + i] = v;
            }
        }
        __syncthreads();
        for (int o = blockIdx.x * nw + warp; o < out; o += gridDim.x * nw) {
            float acc[TT];
#pragma unroll
            for (int t = 0; t < TT; t++) acc[t] = 0.f;
            const bf16* wr = W + (size_t)o * in;
            if ((in & 7) == 0) {
                const uint4* w4 = reinterpret_cast<const uint4*>(wr);
                int nc = in >> 3, c = lane;
                for (; c + 96 < nc; c += 128) {
                    uint4 a = __ldg(w4 + c), b = __ldg(w4 + c + 32), d = __ldg(w4 + c + 64), e = __ldg(w4 + c + 96);
#pragma unroll
                    for (int t = 0; t < TT; t++) {
                        if (t < tn) {
                            const float* xt = xs + t * in;
                            acc8(acc[t], a, xt + 8 * c);
                            acc8(acc[t], b, xt + 8 * (c + 32));
                            acc8(acc[t], d, xt + 8 * (c + 64));
                            acc8(acc[t], e, xt + 8 * (c + 96));
                        }
                    }
                }
                for (; c < nc; c += 32) {
                    uint4 a = __ldg(w4 + c);
#pragma unroll
                    for (int t = 0; t < TT; t++) if (t < tn) acc8(acc[t], a, xs + t * in + 8 * c);
                }
            } else {
                for (int i = lane; i < in; i += 32) {
                    float wv = bf2f(wr[i]);
#pragma unroll
                    for (int t = 0; t < TT; t++) if (t < tn) acc[t] += wv * xs[t * in + i];
                }
            }
#pragma unroll
            for (int t = 0; t < TT; t++) acc[t] = warp_sum(acc[t]);
            if (lane == 0) {
                float b = bias ? bias[o] : 0.f;
#pragma unroll
                for (int t = 0; t < TT; t++) {
                    if (t < tn) {
                        float* yp = y + (size_t)(t0 + t) * yStride + o;
                        float v = acc[t] + b;
                        *yp = accumulate ? *yp + v : v;
                    }
                }
            }
        }
    }
}

#define GEMV_ENTRY(TT)                                                                                              \
    extern "C" __global__ void __launch_bounds__(256) gemv_bf16_t##TT(                                            \
        const float* x, int xStride, int mode, const float* normW, float eps, const bf16* W, const float* bias,    \
        float* y, int yStride, int accumulate, int T, int in, int out, const int* nActive) {                       \
        gemv_impl<TT>(x, xStride, mode, normW, eps, W, bias, y, yStride, accumulate, T, in, out, nActive);         \
    }
GEMV_ENTRY(1)
GEMV_ENTRY(2)
GEMV_ENTRY(4)
GEMV_ENTRY(8)

// f32 -> bf16 for cuBLAS inputs.
extern "C" __global__ void to_bf16(const float* __restrict__ x, bf16* __restrict__ y, long long n) {
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n; i += (long long)gridDim.x * blockDim.x)
        y[i] = f2bf(x[i]);
}

// y[r, i] += b[i] for r < rows, i < n (row stride 'stride'): the biases cuBLAS does not add.
extern "C" __global__ void bias_add(float* __restrict__ y, const float* __restrict__ b, int rows, int n, int stride) {
    int r = blockIdx.x;
    if (r >= rows) return;
    for (int i = threadIdx.x; i < n; i += blockDim.x) y[(size_t)r * stride + i] += b[i];
}
