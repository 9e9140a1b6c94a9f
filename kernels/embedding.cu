// Embedding gather: x[t, :] = table[tokens[t], :] widened to f32 (the residual stream stays f32).
#include "common.cuh"

extern "C" __global__ void embed_gather(const int* __restrict__ tokens, const bf16* __restrict__ table,
                                        float* __restrict__ x, int H, int V) {
    int t = blockIdx.x;
    int id = tokens[t];
    // Ids are range-checked on the host; a device-produced id (argmax) is always in range.
    if (id < 0 || id >= V) id = 0;
    const bf16* row = table + (size_t)id * H;
    for (int i = threadIdx.x; i < H; i += blockDim.x) x[(size_t)t * H + i] = bf2f(row[i]);
}
