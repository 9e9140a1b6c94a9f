// After the fused q|k|v projection: bias add, Qwen3 q/k norm, RoPE, and the key / value store into
// the execution slot's cache (bf16). One block per (row, head), headDim threads rounded up to a warp.
//
// RoPE uses the inverse-frequency table the host passes, i.e. ModelConfig.ropeInverseFrequencies():
// already llama3-scaled and rounded to the checkpoint dtype like transformers' inv_freq buffer
// (DESIGN.md section 2). cos / sin are taken of (f32) inv_freq * pos, as transformers forms them.
#include "common.cuh"

extern "C" __global__ void qkv_post(float* __restrict__ qkv, int rowStride, const float* __restrict__ bias,
                                    const float* __restrict__ qNorm, const float* __restrict__ kNorm, float eps,
                                    const float* __restrict__ invFreq, const int* rowSeq, const int* seqPos,
                                    bf16* __restrict__ kCache, bf16* __restrict__ vCache, long long seqStride,
                                    int nh, int nkv, int hd, const int* nActive) {
    int r = blockIdx.x, h = blockIdx.y, i = threadIdx.x;
    if (!row_active(nActive, r)) return;
    int qd = nh * hd, kvd = nkv * hd;
    bool isQ = h < nh;
    int col = isQ ? h * hd : qd + (h - nh) * hd;
    float* row = qkv + (size_t)r * rowStride;
    bool live = i < hd;
    float v = live ? row[col + i] : 0.f;
    if (bias && live) v += bias[col + i];
    const float* nw = isQ ? qNorm : kNorm;
    if (nw) v = head_rmsnorm(v, nw, hd, eps);
    // rotate_half pairing: element i with i + hd/2
    __shared__ float buf[256];
    if (live) buf[i] = v;
    __syncthreads();
    if (!live) return;
    int half = hd / 2, j = i < half ? i : i - half;
    int pos = row_pos(rowSeq, seqPos, r);
    float f = invFreq[j] * (float)pos;
    float c = cosf(f), s = sinf(f);
    float out = i < half ? v * c - buf[i + half] * s : v * c + buf[i - half] * s;
    if (isQ) {
        row[col + i] = out;
        return;
    }
    int kh = h - nh;
    size_t at = (size_t)row_seq(rowSeq, r) * seqStride + (size_t)pos * kvd + kh * hd + i;
    kCache[at] = f2bf(out);
    float vv = row[qd + kvd + kh * hd + i];
    if (bias) vv += bias[qd + kvd + kh * hd + i];
    vCache[at] = f2bf(vv);
}
