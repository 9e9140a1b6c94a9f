// One translation unit, one fatbin: every kernel family under kernels/ (see drllm_kernels.h for
// the ABI the Java side binds).
#include "../kernels/embedding.cu"
#include "../kernels/norm.cu"
#include "../kernels/rope.cu"
#include "../kernels/attention.cu"
#include "../kernels/linear.cu"
#include "../kernels/mlp.cu"
#include "../kernels/router.cu"
#include "../kernels/sampling.cu"
#include "../kernels/graph.cu"
