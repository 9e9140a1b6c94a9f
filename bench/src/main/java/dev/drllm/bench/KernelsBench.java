package dev.drllm.bench;

import dev.drllm.kernels.Kernels;
import dev.drllm.kernels.Matrix;
import dev.drllm.kernels.WeightType;
import dev.drllm.kernels.Workspace;
import dev.drllm.routing.Router;
import org.openjdk.jmh.annotations.*;

import java.lang.foreign.Arena;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One benchmark per public kernel of {@code dev.drllm.kernels}, at the 1B shape (hidden 2048, 32
 * query / 8 KV heads of 64, MLP 8192, routers R = 128 over W = 8 windows), on the workspace's
 * threads ({@code -Ddrllm.threads}, default 2). {@code matmul}: a 2048 × 2048 matrix of each
 * weight type the engine reads ({@link WeightType}: the float types and every GGUF block type)
 * times 1 token (decode) or 32 (a short prompt); the read-only block types (no quantizer) get
 * random blocks with small scales. {@code attention}: one decode token over 512 cached positions,
 * and a 32-token prompt. The other kernels do not depend on the weight type: run them with
 * {@code -p type=BF16} (bench/kernels.sh).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
public class KernelsBench {
    static final int H = 2048, F = 8192, HEADS = 32, KV = 8, HD = 64, CTX = 512, T = 32, R = 128, W = 8;

    @Param({"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"})
    public String type;

    @Param({"1", "32"})
    public int tokens;

    private Arena arena;
    private Workspace ws;
    private Matrix w;
    private float[] invFreq, x, y, norm, normOut, cos, sin, q, keys, values, att, gate, up, gate0, up0, scores, hidden;
    private Router router;

    static float[] fill(SplittableRandom r, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) ((r.nextDouble() - 0.5) * scale);
        return a;
    }

    @Setup(Level.Trial)
    public void setup() {
        SplittableRandom r = new SplittableRandom(5);
        arena = Arena.ofShared();
        ws = Workspace.create(Integer.getInteger("drllm.threads", 2));
        w = matrix(r, WeightType.valueOf(type), arena);
        x = fill(r, T * H, 2);
        y = new float[T * H];
        norm = fill(r, H, 2);
        normOut = new float[H];
        invFreq = new float[HD / 2];
        for (int i = 0; i < invFreq.length; i++) invFreq[i] = (float) Math.pow(500000, -2.0 * i / HD);
        cos = new float[T * HD / 2];
        sin = new float[T * HD / 2];
        Kernels.ropeTables(invFreq, 100, T, cos, sin);
        q = fill(r, T * HEADS * HD, 1);
        keys = fill(r, (CTX + T) * KV * HD, 1);
        values = fill(r, (CTX + T) * KV * HD, 1);
        att = new float[T * HEADS * HD];
        gate0 = fill(r, F, 4);
        up0 = fill(r, F, 2);
        gate = new float[F];
        up = new float[F];
        scores = fill(r, CTX, 8);
        hidden = fill(r, T * H, 2);
        router = new Router(H, R, fill(r, R * H, 0.05), fill(r, R, 0.1), fill(r, 3 * R, 0.1), fill(r, 3, 0.1));
        // not timed: a fresh JVM runs the scalar twins until the vector kernels are compiled
        KernelsBench.awaitVectorKernels();
    }

    /** An H × H matrix of {@code t}: encoded from random values, or random blocks whose two leading f16 scales are small. */
    static Matrix matrix(SplittableRandom r, WeightType t, Arena arena) {
        if (t.encodable()) return Matrix.encode(fill(r, H * H, 0.04), H, H, t, arena);
        // Q4_1, Q5_1, Q5_K: every block starts with two f16 fields (scale and minimum); the rest is quants
        long bytes = H * t.rowBytes(H), block = t.rowBytes(H) / (H / t.blockSize());
        java.lang.foreign.MemorySegment seg = arena.allocate(bytes, 64);
        for (long i = 0; i < bytes; i++) seg.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) r.nextInt());
        var f16 = java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (long b = 0; b < bytes; b += block) {
            seg.set(f16, b, Float.floatToFloat16((float) (r.nextDouble() * 0.01)));
            seg.set(f16, b + 2, Float.floatToFloat16((float) (r.nextDouble() * 0.01)));
        }
        return Matrix.of(seg, t, H, H);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ws.close();
        arena.close();
    }

    /** Blocks until every kernel family runs its vector body (not timed: a fresh JVM runs the scalar twins until then); shared by the benchmarks' setups. */
    static void awaitVectorKernels() {
        try {
            if (!Kernels.warmUp(java.time.Duration.ofMinutes(5))) throw new IllegalStateException("kernels not vectorized after 5 minutes");
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Benchmark
    public float matmul() {
        Kernels.matmul(ws, w, x, tokens, y);
        return y[0];
    }

    // the kernels below do not depend on the weight type: run them once (type BF16), per token count

    @Benchmark
    public float rmsnorm() {
        for (int t = 0; t < tokens; t++) Kernels.rmsnorm(x, t * H, norm, 1e-5f, normOut, 0, H);
        return normOut[0];
    }

    @Benchmark
    public float ropeTables() {
        Kernels.ropeTables(invFreq, 100, tokens, cos, sin);
        return cos[0];
    }

    @Benchmark
    public float rope() {
        for (int t = 0; t < tokens; t++) Kernels.rope(q, t * HEADS * HD, HEADS, HD, cos, sin, t * HD / 2);
        return q[0];
    }

    @Benchmark
    public float attention() {
        // tokens = 1: a decode step at position CTX; 32: a prompt at position 0
        Kernels.attention(ws, q, keys, values, att, tokens, tokens == 1 ? CTX : 0, HEADS, KV, HD);
        return att[0];
    }

    @Benchmark
    public float siluMul() {
        System.arraycopy(gate0, 0, gate, 0, F);
        System.arraycopy(up0, 0, up, 0, F);
        Kernels.siluMul(gate, up, 0, F);
        return gate[0];
    }

    @Benchmark
    public float softmax() {
        Kernels.softmax(scores, 0, CTX);
        return scores[0];
    }

    @Benchmark
    public float routerLogits() {
        return Kernels.routerLogits(router, hidden, tokens, W)[0];
    }
}
