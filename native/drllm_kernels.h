/*
 * The kernel ABI: every extern "C" kernel in kernels/*.cu with its parameters, in launch order of
 * a transformer block. dev.drllm.cuda.CudaKernels packs exactly these argument lists
 * (KernelArgs: pointers and long long as 8 bytes, int / float as 4) and CudaKernelsAbiTest checks
 * the Java side against this file. Pointers are device pointers; "nullable" ones may be 0.
 *
 * Shapes: T rows (tokens or sequences), H hidden, hd head dim, nh / nkv heads, qd = nh*hd,
 * kvd = nkv*hd. KV cache of one execution slot: [seq][capacity][kvd] bf16 (seqStride = capacity*kvd).
 */
#pragma once
#include <cuda_bf16.h>
typedef __nv_bfloat16 bf16;

/* embedding.cu  grid(T) block(256) */
__global__ void embed_gather(const int* tokens, const bf16* table, float* x, int H, int V);
/* norm.cu  grid(T) block(256); delta, outF, outB, nActive nullable */
__global__ void add_rmsnorm(float* x, const float* delta, const float* w, float* outF, bf16* outB, int H, float eps, const int* nActive);
/* rope.cu  grid(T, nh+nkv) block(roundup32(hd)); bias, qNorm, kNorm, rowSeq, nActive nullable */
__global__ void qkv_post(float* qkv, int rowStride, const float* bias, const float* qNorm, const float* kNorm, float eps,
                         const float* invFreq, const int* rowSeq, const int* seqPos, bf16* kCache, bf16* vCache,
                         long long seqStride, int nh, int nkv, int hd, const int* nActive);
/* attention.cu  grid(ceil(T/8), nh) block(256) smem((64*(hd+1)+8*hd)*4); outF / outB nullable */
__global__ void attn_prefill(const float* q, int qStride, const bf16* kCache, const bf16* vCache, const int* seqPos,
                             int T, int nh, int nkv, int hd, float scale, float* outF, bf16* outB, int outStride);
/* attention.cu  grid(T, nh, S) block(128) */
__global__ void attn_decode_partial(const float* q, int qStride, const bf16* kCache, const bf16* vCache, long long seqStride,
                                    const int* rowSeq, const int* seqPos, int nh, int nkv, int hd, float scale, int chunk,
                                    float* pm, float* pl, float* pacc, const int* nActive);
/* attention.cu  grid(T, nh) block(roundup32(hd)) */
__global__ void attn_decode_combine(const float* pm, const float* pl, const float* pacc, int nh, int hd, int S,
                                    float* outF, bf16* outB, int outStride, const int* nActive);
/* linear.cu  grid(min(ceil(out/8), 4*SMs)) block(256) smem(TT*in*4); N in {1,2,4,8}; mode 0 plain, 1 rmsnorm, 2 swiglu */
__global__ void gemv_bf16_tN(const float* x, int xStride, int mode, const float* normW, float eps, const bf16* W,
                             const float* bias, float* y, int yStride, int accumulate, int T, int in, int out, const int* nActive);
__global__ void to_bf16(const float* x, bf16* y, long long n);
__global__ void bias_add(float* y, const float* b, int rows, int n, int stride);
/* mlp.cu  grid(T) block(256) */
__global__ void swiglu(const float* gu, float* outF, bf16* outB, int T, int F);
/* router.cu */
__global__ void router_pool(const float* x, int T, int H, int W, float* pooled);                     /* grid(nw) */
__global__ void router_hidden(const float* pooled, int H, int R, const float* w1, const float* b1, float* hid); /* grid(nw, ceil(R/8)) block(256) */
__global__ void router_out(const float* hid, int T, int W, int R, const float* w2, const float* b2, float* logits, int* decision); /* grid(1) block(32) */
/* sampling.cu  grid(T) block(1024); history, counts, seqPos nullable */
__global__ void argmax_step(const float* logits, int V, int* next, int* history, int* counts, int maxNew, int* seqPos);
/* graph.cu */
__global__ void pass_gather(const int* counts, int layer, int rep, int B, int L, int* idx, int* nActive, const float* x, float* xc, int H);
__global__ void pass_scatter(const int* idx, const int* nActive, const float* xc, float* x, int H);
__global__ void set_switch(const unsigned long long* handles, const int* counts, int B, int L);
__global__ void decisions_to_counts(const int* decisions, int* counts, int b, int L);
