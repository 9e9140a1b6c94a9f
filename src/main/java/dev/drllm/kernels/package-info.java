/**
 * drllm's CPU kernels as a stable, documented API: {@link dev.drllm.kernels.Kernels} (matmul for
 * every {@link dev.drllm.kernels.WeightType}, RMSNorm, RoPE, grouped-query attention over the KV
 * layout, SiLU·up, softmax, the router MLP with windowed pooling) over
 * {@link dev.drllm.kernels.Matrix} weights, with a {@link dev.drllm.kernels.Workspace} for scratch
 * and threads. The JVM needs {@code --add-modules jdk.incubator.vector} (README "Using drllm as a
 * dependency"). A runnable example: {@code examples/consumer}.
 */
package dev.drllm.kernels;
