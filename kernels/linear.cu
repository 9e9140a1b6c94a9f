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

// The staged inputs of one token are two planes of float4: plane 0 holds elements 8c..8c+3 at
// float4 index c, plane 1 elements 8c+4..8c+7. Lane c then reads 16-byte words at consecutive
// addresses (conflict-free) instead of 32-byte strided scalars (8-way bank conflicts, which capped
// the kernel at about half the HBM bandwidth).
__device__ __forceinline__ int plane_index(int i, int in) {
    int c = i >> 3, j = i & 7;
    return j < 4 ? c * 4 + j : (in >> 1) + c * 4 + (j - 4);
}

__device__ __forceinline__ void unpack8(uint4 w, float* f) {
    const __nv_bfloat162* p = reinterpret_cast<const __nv_bfloat162*>(&w);
#pragma unroll
    for (int k = 0; k < 4; k++) {
        float2 v = __bfloat1622float2(p[k]);
        f[2 * k] = v.x;
        f[2 * k + 1] = v.y;
    }
}

__device__ __forceinline__ void dot8(float& a, const float* w, const float* xt, int c, int in) {
    float4 x0 = reinterpret_cast<const float4*>(xt)[c];
    float4 x1 = reinterpret_cast<const float4*>(xt + (in >> 1))[c];
    a += w[0] * x0.x + w[1] * x0.y;
    a += w[2] * x0.z + w[3] * x0.w;
    a += w[4] * x1.x + w[5] * x1.y;
    a += w[6] * x1.z + w[7] * x1.w;
}

template <int TT>
__device__ void gemv_impl(const float* __restrict__ x, int xStride, int mode, const float* __restrict__ normW, float eps,
                          const bf16* __restrict__ W, const float* __restrict__ bias, float* __restrict__ y, int yStride,
                          int accumulate, int T, int in, int out, const int* nActive) {
    extern __shared__ __align__(16) float xs[];  // [TT][in], two float4 planes per token when in % 8 == 0
    bool vec = (in & 7) == 0;
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
                xs[t * in + (vec ? plane_index(i, in) : i)] = v;
            }
        }
        __syncthreads();
        for (int o = blockIdx.x * nw + warp; o < out; o += gridDim.x * nw) {
            float acc[TT];
#pragma unroll
            for (int t = 0; t < TT; t++) acc[t] = 0.f;
            const bf16* wr = W + (size_t)o * in;
            if (vec) {
                const uint4* w4 = reinterpret_cast<const uint4*>(wr);
                int nc = in >> 3, c = lane;
                for (; c + 96 < nc; c += 128) {
                    uint4 a = __ldg(w4 + c), b = __ldg(w4 + c + 32), d = __ldg(w4 + c + 64), e = __ldg(w4 + c + 96);
                    float fa[8], fb[8], fd[8], fe[8];
                    unpack8(a, fa); unpack8(b, fb); unpack8(d, fd); unpack8(e, fe);
#pragma unroll
                    for (int t = 0; t < TT; t++) {
                        if (t < tn) {
                            const float* xt = xs + t * in;
                            dot8(acc[t], fa, xt, c, in);
                            dot8(acc[t], fb, xt, c + 32, in);
                            dot8(acc[t], fd, xt, c + 64, in);
                            dot8(acc[t], fe, xt, c + 96, in);
                        }
                    }
                }
                for (; c < nc; c += 32) {
                    float fa[8];
                    unpack8(__ldg(w4 + c), fa);
#pragma unroll
                    for (int t = 0; t < TT; t++) if (t < tn) dot8(acc[t], fa, xs + t * in, c, in);
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
    extern "C" __global__ void __launch_bounds__(256, 3) gemv_bf16_t##TT(                                         \
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
