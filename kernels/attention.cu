// Causal GQA attention over an execution slot's bf16 key / value cache.
//   prefill: tiled; a block holds 8 query rows of one head, key / value tiles of 32 positions are
//            staged in shared memory and each warp keeps an online softmax for its query row.
//   decode:  split-K over the key length (one query row per sequence): each block reduces one
//            chunk of keys to (max, sum, weighted values); attn_decode_combine merges the chunks.
// Cache layout: cache[seq * seqStride + pos * kvd + kvHead * hd + d] (KvLayout.java).
#include "common.cuh"

#define ATT_ROWS 8
#define ATT_TILE 32
#define ATT_MAXD 4   // head dims per lane: hd <= 128

extern "C" __global__ void attn_prefill(const float* __restrict__ q, int qStride, const bf16* __restrict__ kCache,
                                        const bf16* __restrict__ vCache, const int* seqPos, int T, int nh, int nkv,
                                        int hd, float scale, float* __restrict__ outF, bf16* __restrict__ outB, int outStride) {
    extern __shared__ float sm[];
    int hdp = hd + 1;  // padding: lanes read rows of the K tile, one bank apart
    float* Ks = sm;
    float* Vs = Ks + ATT_TILE * hdp;
    float* Qs = Vs + ATT_TILE * hdp;
    int h = blockIdx.y, kh = h / (nh / nkv), kvd = nkv * hd;
    int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
    int t = blockIdx.x * ATT_ROWS + warp;
    int pos0 = seqPos[0];
    int lastRow = min(T - 1, (int)blockIdx.x * ATT_ROWS + ATT_ROWS - 1);
    int maxPos = pos0 + lastRow;
    bool live = t < T;
    int myPos = pos0 + t;
    for (int d = lane; d < hd; d += 32) Qs[warp * hd + d] = live ? q[(size_t)t * qStride + h * hd + d] : 0.f;
    float m = -INFINITY, l = 0.f, acc[ATT_MAXD];
#pragma unroll
    for (int k = 0; k < ATT_MAXD; k++) acc[k] = 0.f;
    for (int j0 = 0; j0 <= maxPos; j0 += ATT_TILE) {
        __syncthreads();
        for (int e = threadIdx.x; e < ATT_TILE * hd; e += blockDim.x) {
            int j = e / hd, d = e % hd, key = j0 + j;
            float kv = 0.f, vv = 0.f;
            if (key <= maxPos) {
                size_t at = (size_t)key * kvd + kh * hd + d;
                kv = bf2f(kCache[at]);
                vv = bf2f(vCache[at]);
            }
            Ks[j * hdp + d] = kv;
            Vs[j * hdp + d] = vv;
        }
        __syncthreads();
        if (!live || j0 > myPos) continue;
        int key = j0 + lane;
        float s = -INFINITY;
        if (key <= myPos) {
            float dot = 0.f;
            for (int d = 0; d < hd; d++) dot += Qs[warp * hd + d] * Ks[lane * hdp + d];
            s = dot * scale;
        }
        float mNew = fmaxf(m, warp_max(s));
        float p = s == -INFINITY ? 0.f : expf(s - mNew);
        float corr = m == -INFINITY ? 0.f : expf(m - mNew);
        l = l * corr + warp_sum(p);
#pragma unroll
        for (int k = 0; k < ATT_MAXD; k++) acc[k] *= corr;
        int nk = min(ATT_TILE, myPos - j0 + 1);
        for (int jj = 0; jj < nk; jj++) {
            float pj = __shfl_sync(0xffffffffu, p, jj);
#pragma unroll
            for (int k = 0; k < ATT_MAXD; k++) {
                int d = lane + 32 * k;
                if (d < hd) acc[k] += pj * Vs[jj * hdp + d];
            }
        }
        m = mNew;
    }
    if (!live) return;
    float inv = 1.f / l;
#pragma unroll
    for (int k = 0; k < ATT_MAXD; k++) {
        int d = lane + 32 * k;
        if (d >= hd) continue;
        float v = acc[k] * inv;
        size_t at = (size_t)t * outStride + h * hd + d;
        if (outF) outF[at] = v;
        if (outB) outB[at] = f2bf(v);
    }
}

// Merges the per-warp (max, sum, values) of a block into the split's partial result.
__device__ __forceinline__ void attn_merge_warps(float m, float l, const float* acc, int hd, int r, int h, int sp, int S,
                                                      int nh, float* pm, float* pl, float* pacc) {
    int warp = threadIdx.x >> 5, lane = threadIdx.x & 31, nw = blockDim.x >> 5;
    __shared__ float wm[32], wl[32], wacc[32][128];
    if (lane == 0) { wm[warp] = m; wl[warp] = l; }
#pragma unroll
    for (int k = 0; k < ATT_MAXD; k++) if (lane + 32 * k < hd) wacc[warp][lane + 32 * k] = acc[k];
    __syncthreads();
    if (warp != 0) return;
    float M = -INFINITY;
    for (int w = 0; w < nw; w++) M = fmaxf(M, wm[w]);
    size_t base = ((size_t)r * nh + h) * S + sp;
    float L = 0.f;
    for (int w = 0; w < nw; w++) L += wm[w] == -INFINITY ? 0.f : wl[w] * expf(wm[w] - M);
    if (lane == 0) { pm[base] = M; pl[base] = L; }
    for (int d = lane; d < hd; d += 32) {
        float a = 0.f;
        for (int w = 0; w < nw; w++) if (wm[w] != -INFINITY) a += wacc[w][d] * expf(wm[w] - M);
        pacc[base * hd + d] = a;
    }
}

// grid (rows, heads, splits), 128 threads. Row r is sequence rowSeq[r] at position seqPos[seq];
// split sp covers keys [sp*chunk, (sp+1)*chunk) up to that position. Lane-per-key: each lane
// reads its key's whole row (16-byte loads, all in flight at once) and scores it, the warp keeps an
// online softmax over 32 keys at a time, and the values are accumulated with the lanes over the
// head dimensions. (A warp-per-key loop was latency bound: one dependent load chain per key.)
extern "C" __global__ void attn_decode_partial(const float* __restrict__ q, int qStride, const bf16* __restrict__ kCache,
                                               const bf16* __restrict__ vCache, long long seqStride, const int* rowSeq,
                                               const int* seqPos, int nh, int nkv, int hd, float scale, int chunk,
                                               float* __restrict__ pm, float* __restrict__ pl, float* __restrict__ pacc,
                                               const int* nActive) {
    int r = blockIdx.x, h = blockIdx.y, sp = blockIdx.z, S = gridDim.z;
    if (!row_active(nActive, r)) return;
    int kh = h / (nh / nkv), kvd = nkv * hd;
    int seq = row_seq(rowSeq, r), pos = row_pos(rowSeq, seqPos, r);
    int from = sp * chunk, to = min(from + chunk, pos + 1);
    int warp = threadIdx.x >> 5, lane = threadIdx.x & 31, nw = blockDim.x >> 5;
    __shared__ __align__(16) float qs[128];
    for (int d = threadIdx.x; d < hd; d += blockDim.x) qs[d] = q[(size_t)r * qStride + h * hd + d];
    __syncthreads();
    const bf16* kb = kCache + (size_t)seq * seqStride + kh * hd;
    const bf16* vb = vCache + (size_t)seq * seqStride + kh * hd;
    float m = -INFINITY, l = 0.f, acc[ATT_MAXD];
#pragma unroll
    for (int k = 0; k < ATT_MAXD; k++) acc[k] = 0.f;
    for (int k0 = from + warp * 32; k0 < to; k0 += nw * 32) {
        int key = k0 + lane;
        float s = -INFINITY;
        if (key < to) {
            const uint4* kr = reinterpret_cast<const uint4*>(kb + (size_t)key * kvd);
            float dot = 0.f;
#pragma unroll 4
            for (int c = 0; c < (hd >> 3); c++) {
                uint4 w = __ldg(kr + c);
                const __nv_bfloat162* p2 = reinterpret_cast<const __nv_bfloat162*>(&w);
#pragma unroll
                for (int e = 0; e < 4; e++) {
                    float2 f = __bfloat1622float2(p2[e]);
                    dot += f.x * qs[8 * c + 2 * e] + f.y * qs[8 * c + 2 * e + 1];
                }
            }
            s = dot * scale;
        }
        float mNew = fmaxf(m, warp_max(s));
        float p = s == -INFINITY ? 0.f : expf(s - mNew);
        float corr = m == -INFINITY ? 0.f : expf(m - mNew);
        l = l * corr + warp_sum(p);
#pragma unroll
        for (int k = 0; k < ATT_MAXD; k++) acc[k] *= corr;
        int nk = min(32, to - k0);
#pragma unroll 8
        for (int jj = 0; jj < nk; jj++) {
            float pj = __shfl_sync(0xffffffffu, p, jj);
            const bf16* vr = vb + (size_t)(k0 + jj) * kvd;
#pragma unroll
            for (int k = 0; k < ATT_MAXD; k++) if (lane + 32 * k < hd) acc[k] += pj * bf2f(vr[lane + 32 * k]);
        }
        m = mNew;
    }
    attn_merge_warps(m, l, acc, hd, r, h, sp, S, nh, pm, pl, pacc);
}

// grid (rows, heads), hd threads rounded up to a warp: softmax-weighted merge of the splits.
extern "C" __global__ void attn_decode_combine(const float* __restrict__ pm, const float* __restrict__ pl,
                                               const float* __restrict__ pacc, int nh, int hd, int S,
                                               float* __restrict__ outF, bf16* __restrict__ outB, int outStride,
                                               const int* nActive) {
    int r = blockIdx.x, h = blockIdx.y, d = threadIdx.x;
    if (!row_active(nActive, r) || d >= hd) return;
    size_t base = ((size_t)r * nh + h) * S;
    float M = -INFINITY;
    for (int s = 0; s < S; s++) M = fmaxf(M, pm[base + s]);
    float L = 0.f, a = 0.f;
    for (int s = 0; s < S; s++) {
        if (pm[base + s] == -INFINITY) continue;
        float c = expf(pm[base + s] - M);
        L += pl[base + s] * c;
        a += pacc[(base + s) * hd + d] * c;
    }
    float v = a / L;
    size_t at = (size_t)r * outStride + h * hd + d;
    if (outF) outF[at] = v;
    if (outB) outB[at] = f2bf(v);
}
