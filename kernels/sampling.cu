// Greedy decoding on the device: argmax of each row's logits (first of equal maxima, like the CPU
// Sampler), written as the next input token and appended to the row's history; the host reads the
// history in chunks. When seqPos is given the sequence's position advances (one decode step done).
#include "common.cuh"

extern "C" __global__ void argmax_step(const float* __restrict__ logits, int V, int* __restrict__ next,
                                       int* __restrict__ history, int* __restrict__ counts, int maxNew,
                                       int* __restrict__ seqPos) {
    int r = blockIdx.x;
    const float* row = logits + (size_t)r * V;
    float best = -INFINITY;
    int bi = 0x7fffffff;
    for (int i = threadIdx.x; i < V; i += blockDim.x) {
        float v = row[i];
        if (v > best || (v == best && i < bi)) { best = v; bi = i; }
    }
    __shared__ float sv[1024];
    __shared__ int si[1024];
    sv[threadIdx.x] = best;
    si[threadIdx.x] = bi;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) {
            float ov = sv[threadIdx.x + s];
            int oi = si[threadIdx.x + s];
            if (ov > sv[threadIdx.x] || (ov == sv[threadIdx.x] && oi < si[threadIdx.x])) {
                sv[threadIdx.x] = ov;
                si[threadIdx.x] = oi;
            }
        }
        __syncthreads();
    }
    if (threadIdx.x != 0) return;
    int tok = si[0] == 0x7fffffff ? 0 : si[0];  // all-NaN row: token 0 rather than an invalid id
    next[r] = tok;
    if (history && counts) {
        int c = counts[r];
        if (c < maxNew) history[(size_t)r * maxNew + c] = tok;
        counts[r] = c + 1;
    }
    if (seqPos) seqPos[r] += 1;
}
