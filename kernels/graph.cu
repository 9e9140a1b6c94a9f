// Control kernels of the captured decode step (CudaDecoder): per-sequence paths in a batch and
// the SWITCH conditional values, all computed from path counts in device memory.
// counts[b * L + l] = how many times sequence b runs layer l (0 skip, 1 execute, 2 repeat).
#include "common.cuh"

// Pass (layer, rep) runs the sequences with counts > rep. grid (B): block b finds its rank among
// those, copies its residual row into compact row 'rank' and records idx[rank] = b; block 0
// writes how many there are. Rows past *nActive are skipped by every kernel of the pass.
extern "C" __global__ void pass_gather(const int* __restrict__ counts, int layer, int rep, int B, int L,
                                       int* __restrict__ idx, int* __restrict__ nActive,
                                       const float* __restrict__ x, float* __restrict__ xc, int H) {
    int b = blockIdx.x;
    int rank = 0, total = 0;
    for (int k = 0; k < B; k++) {
        bool on = counts[k * L + layer] > rep;
        if (on && k < b) rank++;
        if (on) total++;
    }
    if (b == 0 && threadIdx.x == 0) *nActive = total;
    if (counts[b * L + layer] <= rep) return;
    if (threadIdx.x == 0) idx[rank] = b;
    for (int i = threadIdx.x; i < H; i += blockDim.x) xc[(size_t)rank * H + i] = x[(size_t)b * H + i];
}

// grid (B): compact row r goes back to sequence idx[r].
extern "C" __global__ void pass_scatter(const int* __restrict__ idx, const int* __restrict__ nActive,
                                        const float* __restrict__ xc, float* __restrict__ x, int H) {
    int r = blockIdx.x;
    if (r >= *nActive) return;
    int b = idx[r];
    for (int i = threadIdx.x; i < H; i += blockDim.x) x[(size_t)b * H + i] = xc[(size_t)r * H + i];
}

// One thread per layer: the SWITCH value of layer l is the most any sequence runs it (bodies:
// 0 nothing, 1 the block, 2 the block twice); sequences that run it fewer times are filtered out
// by pass_gather inside the body.
extern "C" __global__ void set_switch(const unsigned long long* __restrict__ handles, const int* __restrict__ counts,
                                      int B, int L) {
    int l = blockIdx.x * blockDim.x + threadIdx.x;
    if (l >= L) return;
    int v = 0;
    for (int b = 0; b < B; b++) v = max(v, counts[b * L + l]);
    cudaGraphSetConditional(handles[l], (unsigned)v);
}

// Routed prefill writes one decision per layer; decode reads counts[b * L + l]. Copies decision l
// of a sequence into its row of the counts table on the device.
extern "C" __global__ void decisions_to_counts(const int* __restrict__ decisions, int* __restrict__ counts, int b, int L) {
    int l = blockIdx.x * blockDim.x + threadIdx.x;
    if (l < L) counts[b * L + l] = decisions[l];
}
