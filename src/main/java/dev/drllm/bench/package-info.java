/**
 * Benchmark helpers, not engine code: the published model shapes ({@link dev.drllm.bench.BenchShapes}),
 * random-weight checkpoints of those shapes ({@link dev.drllm.bench.RandomCheckpoint}, written by the
 * one safetensors writer) and {@code drllm bench --device cuda} ({@link dev.drllm.bench.CudaBench}).
 * The JMH benchmarks of {@code bench/} live in the same package of their own Maven module.
 */
package dev.drllm.bench;
