package dev.drllm.bench;

import dev.drllm.cpu.CpuKernels;
import dev.drllm.cpu.CpuPool;
import dev.drllm.model.DType;
import dev.drllm.model.SafetensorsWriter;
import dev.drllm.model.Tensor;
import org.openjdk.jmh.annotations.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One weight matrix of the 1B shape's MLP (8192 × 2048: gate / up; {@code -p shape=2048x8192}:
 * down, the same bytes in rows four times as long) times {@code tokens} activation rows, on
 * the backend's pool. The weights cycle through a 768 MiB set of matrices, three times the L3
 * cache, so every call streams its weights from DRAM as a decode step does.
 * Bytes and FLOPs per op: {@link #bytes} and 2 · 8192 · 2048 · tokens (the summary converts).
 * With 128 tokens an op is what a prefill runs per matrix: the activations transposed (in parallel
 * column blocks), then {@link CpuKernels#gemmT} over row chunks; one token is the decode matvec.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 4, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class MatvecBench {
    public static final int ROWS = 8192, COLS = 2048;
    static final long WORKING_SET = 768L << 20;

    @Param({"BF16", "F16", "F32", "Q8_0", "Q4_0", "Q4_K", "Q6_K"})
    public String dtype;

    @Param({"1", "128"})
    public int tokens;

    /** Rows x columns; the product is always ROWS · COLS, so {@link #bytes} holds for both. */
    @Param({"8192x2048"})
    public String shape;

    private int rows, cols;

    private Arena arena;
    private Tensor[] mats;
    private CpuPool pool;
    private float[] x, xp, y;
    private float[][] wbuf;
    private int next;
    private MemorySegment xT;
    private float[] yT;
    private int tp;

    public static long bytes(DType d) { return d.bytesOf((long) ROWS * COLS); }

    @Setup(Level.Trial)
    public void setup() {
        DType d = DType.valueOf(dtype);
        String[] rc = shape.split("x");
        rows = Integer.parseInt(rc[0]);
        cols = Integer.parseInt(rc[1]);
        if ((long) rows * cols != (long) ROWS * COLS) throw new IllegalArgumentException("shape " + shape + " must hold " + ROWS + " x " + COLS + " weights");
        arena = Arena.ofShared();
        int n = (int) Math.max(2, WORKING_SET / bytes(d));
        if (tokens > 1) n = 2; // compute-bound: the tile reuse, not DRAM, is what is measured
        mats = new Tensor[n];
        SplittableRandom rnd = new SplittableRandom(1);
        var S = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        var FL = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        for (int m = 0; m < n; m++) {
            MemorySegment seg = arena.allocate(bytes(d), 64);
            long count = (long) rows * cols;
            if (d.isQuantized()) {
                // random rows through the type's own quantizer
                float[] row = new float[cols];
                long rb = d.bytesOf(cols);
                for (int r = 0; r < rows; r++) {
                    for (int i = 0; i < cols; i++) row[i] = (float) (rnd.nextDouble() - 0.5) * 0.04f;
                    dev.drllm.quant.BlockCodec.of(d).quantize(row, 0, cols / d.blockSize(), seg, r * rb);
                }
                mats[m] = new Tensor(Path.of("bench"), "w" + m, d, new long[]{rows, cols}, seg);
                continue;
            }
            for (long i = 0; i < count; i++) {
                float v = (float) (rnd.nextDouble() - 0.5) * 0.04f;
                switch (d) {
                    case BF16 -> seg.set(S, i * 2, SafetensorsWriter.toBf16(v));
                    case F16 -> seg.set(S, i * 2, Float.floatToFloat16(v));
                    default -> seg.set(FL, i * 4, v);
                }
            }
            mats[m] = new Tensor(Path.of("bench"), "w" + m, d, new long[]{rows, cols}, seg);
        }
        pool = new CpuPool(CpuPool.defaultThreads());
        x = new float[tokens * cols];
        xp = new float[tokens * cols];
        y = new float[tokens * rows];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextDouble();
        for (int t = 0; t < tokens; t++) CpuKernels.splitPairs(x, t * cols, xp, t * cols, cols);
        wbuf = new float[pool.threads()][CpuKernels.WBUF];
        tp = CpuKernels.paddedTokens(tokens);
        xT = arena.allocate((long) cols * tp * Float.BYTES, CpuKernels.XT_ALIGN);
        yT = new float[rows * tp];
        // not timed: below KernelWarmup.LARGE_WORK a call runs the scalar twins until the background warm-up
        // switches it (~10 s on a 2-core AVX2 EPYC, where a 3 s JMH warm-up iteration then measured BF16 at 14 ops/s
        // against ~300 on the vector body); as KernelsBench
        KernelsBench.awaitVectorKernels();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
        arena.close();
    }

    @Benchmark
    public float matmul() {
        Tensor w = mats[next];
        next = (next + 1) % mats.length;
        if (tokens >= CpuKernels.GEMM_T_MIN) {
            boolean split = CpuKernels.pairSplit(w.dtype());
            pool.forRange(cols, CpuKernels.PAIR, Long.MAX_VALUE, (from, to, worker) -> CpuKernels.transpose(x, tokens, cols, xT, tp, split, from, to), 4);
            pool.forRange(rows, CpuKernels.TILE_ROWS, Long.MAX_VALUE, (from, to, worker) -> CpuKernels.gemmT(xT, tp, x, tokens, cols, w, y, rows, from, to, wbuf[worker], yT, from * tp), 16);
        } else {
            // a new input per call, as in a decode step: kernels that lay out their activation once per input (Q4_K, Q6_K) pay for it each op
            x[0] = Math.nextUp(x[0]);
            pool.forRange(rows, 4, Long.MAX_VALUE, (from, to, worker) -> CpuKernels.matmul(x, xp, tokens, cols, w, y, rows, from, to, wbuf[worker]));
        }
        return y[0];
    }
}
