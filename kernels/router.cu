// The Dr.LLM router (DESIGN.md section 1) on the hidden state entering a block:
// windowed mean pooling (nw = min(W, T) windows of T / nw tokens, the tail cut), then per window
// Linear(H->128) -> GELU (tanh) -> Linear(128->3), the window logits averaged, argmax = run count.
// The decision is written to device memory (decision[0]); nothing goes back to the host.
#include "common.cuh"

// grid (nw), one window each: pooled[w, i] = mean of x[w*ws .. w*ws+ws-1, i]. x is [T, H].
extern "C" __global__ void router_pool(const float* __restrict__ x, int T, int H, int W, float* __restrict__ pooled) {
    int nw = min(W, T), ws = T / nw, w = blockIdx.x;
    if (w >= nw) return;
    for (int i = threadIdx.x; i < H; i += blockDim.x) {
        float s = 0.f;
        for (int j = 0; j < ws; j++) s += x[(size_t)(w * ws + j) * H + i];
        pooled[(size_t)w * H + i] = s / ws;
    }
}

__device__ __forceinline__ float gelu_tanh(float v) {
    return 0.5f * v * (1.f + tanhf(0.7978845608028654f * (v + 0.044715f * v * v * v)));
}

// grid (nw, ceil(R / 8)), 256 threads: warp j computes hidden unit j of window w.
extern "C" __global__ void router_hidden(const float* __restrict__ pooled, int H, int R, const float* __restrict__ w1,
                                         const float* __restrict__ b1, float* __restrict__ hid) {
    int w = blockIdx.x, j = blockIdx.y * 8 + (threadIdx.x >> 5), lane = threadIdx.x & 31;
    if (j >= R) return;
    const float* p = pooled + (size_t)w * H;
    const float* wr = w1 + (size_t)j * H;
    float s = 0.f;
    for (int i = lane; i < H; i += 32) s += wr[i] * p[i];
    s = warp_sum(s);
    if (lane == 0) hid[(size_t)w * R + j] = gelu_tanh(s + b1[j]);
}

// One warp: logits of each window, averaged; argmax (first of equal maxima, as torch.argmax).
extern "C" __global__ void router_out(const float* __restrict__ hid, int T, int W, int R, const float* __restrict__ w2,
                                      const float* __restrict__ b2, float* __restrict__ logits, int* __restrict__ decision) {
    int nw = min(W, T), lane = threadIdx.x;
    float avg[3] = {0.f, 0.f, 0.f};
    for (int w = 0; w < nw; w++) {
#pragma unroll
        for (int c = 0; c < 3; c++) {
            float s = 0.f;
            for (int j = lane; j < R; j += 32) s += w2[c * R + j] * hid[(size_t)w * R + j];
            avg[c] += warp_sum(s) + b2[c];
        }
    }
    if (lane != 0) return;
    int best = 0;
    for (int c = 0; c < 3; c++) {
        avg[c] /= nw;
        logits[c] = avg[c];
        if (avg[c] > avg[best]) best = c;
    }
    decision[0] = best;
}
