package dev.drllm.kernels;

import dev.drllm.cpu.CpuKernels;
import dev.drllm.routing.Router;
import dev.drllm.routing.WindowPooling;

import java.util.Objects;

/**
 * The engine's CPU kernels, for direct use: the exact code a drllm transformer block runs, with
 * f32 activations and f32 accumulation. All arrays are row-major; "[a, b]" is a × b floats.
 *
 * <p><b>Numerics.</b> Deterministic: the same inputs give the same bits on every call, thread
 * count and JIT state (lane sums run in a fixed order; a fresh JVM runs bit-identical scalar twins
 * until the Vector API code is compiled, see {@link #vectorized()}). Results match a plain f32
 * loop to rounding, not bit for bit (the summation order differs).
 *
 * <p><b>Threads.</b> Every method is thread-safe as long as calls do not share output arrays;
 * methods taking a {@link Workspace} need one workspace per concurrent caller.
 *
 * <p><b>Stability.</b> This class, {@link Matrix}, {@link WeightType} and {@link Workspace} are
 * the stable kernel API of drllm 0.x: signatures and semantics only change with a major version;
 * {@link WeightType} gains constants as the engine reads more types. Everything under
 * {@code dev.drllm.cpu}, {@code dev.drllm.cuda} and {@code dev.drllm.runtime} is internal. The CUDA
 * kernels have no public API yet.
 */
public final class Kernels {
    private Kernels() {}

    /**
     * y [tokens, rows] = x [tokens, cols] · Wᵀ for any {@link WeightType}: a matrix–vector product
     * for 1–3 tokens (decode), blocked GEMM for 4–15, outer-product GEMM from 16 (prefill), split
     * over the workspace's threads by rows. {@code x} is read-only. For Q4_K weights the
     * decode path rounds x to 8 bits per 256 values first (as llama.cpp does): each output is then
     * within Σ|w| · max|x| / 254 (per 256 values) of the f32 product.
     *
     * @throws IllegalArgumentException an array is shorter than its shape
     */
    public static void matmul(Workspace ws, Matrix w, float[] x, int tokens, float[] y) {
        Objects.requireNonNull(ws, "workspace");
        check(x, (long) tokens * w.cols(), "x");
        check(y, (long) tokens * w.rows(), "y");
        if (tokens < 1) throw new IllegalArgumentException("tokens must be >= 1, got " + tokens);
        ws.impl.matmul(w.tensor(), x, tokens, y);
    }

    /**
     * RMSNorm of one row as Hugging Face computes it: out[i] = x[i] · rsqrt(mean(x²) + eps) · weight[i]
     * for i < n, reading x[xOff …] and writing out[outOff …] ({@code out} may be {@code x}).
     */
    public static void rmsnorm(float[] x, int xOff, float[] weight, float eps, float[] out, int outOff, int n) {
        check(x, (long) xOff + n, "x");
        check(out, (long) outOff + n, "out");
        check(weight, n, "weight");
        CpuKernels.rmsnorm(x, xOff, out, outOff, weight, n, eps);
    }

    /**
     * RoPE tables for {@code tokens} positions from {@code pos0}: cos / sin [tokens, headDim / 2]
     * of position × invFreq[i], in f32 as transformers forms them. invFreq[i] = θ^(−2i / headDim)
     * for plain RoPE (scaled variants: compute your own).
     */
    public static void ropeTables(float[] invFreq, int pos0, int tokens, float[] cos, float[] sin) {
        check(cos, (long) tokens * invFreq.length, "cos");
        check(sin, (long) tokens * invFreq.length, "sin");
        CpuKernels.ropeTables(invFreq, pos0, tokens, cos, sin);
    }

    /**
     * Rotates, in place, the {@code heads} heads of one token's row v[off …] (heads · headDim
     * floats) by that token's table row cos / sin [csOff …] (headDim / 2 floats): transformers'
     * rotate_half pairing, element i with element i + headDim / 2.
     */
    public static void rope(float[] v, int off, int heads, int headDim, float[] cos, float[] sin, int csOff) {
        check(v, (long) off + (long) heads * headDim, "v");
        check(cos, (long) csOff + headDim / 2, "cos");
        check(sin, (long) csOff + headDim / 2, "sin");
        CpuKernels.rope(v, off, heads, headDim, cos, sin, csOff);
    }

    /**
     * Causal grouped-query attention for {@code tokens} new tokens at positions pos0 … pos0 + tokens − 1,
     * over one KV slot in the engine's layout.
     *
     * @param q      queries [tokens, heads · headDim] (RoPE applied); query head h uses KV head
     *               h / (heads / kvHeads)
     * @param keys   the slot's keys [≥ pos0 + tokens, kvHeads · headDim], position-major, the new
     *               tokens' rows already written at pos0 … (RoPE applied)
     * @param values the slot's values, same layout
     * @param out    [tokens, heads · headDim]: softmax(q·kᵀ / √headDim) · v over positions ≤ the token's own
     */
    public static void attention(Workspace ws, float[] q, float[] keys, float[] values, float[] out, int tokens, int pos0,
                                 int heads, int kvHeads, int headDim) {
        if (heads < 1 || kvHeads < 1 || heads % kvHeads != 0 || headDim < 1 || tokens < 1 || pos0 < 0) {
            throw new IllegalArgumentException("attention: heads " + heads + " must be a positive multiple of kvHeads " + kvHeads
                    + "; headDim " + headDim + ", tokens " + tokens + " positive, pos0 " + pos0 + " non-negative");
        }
        long kv = (long) (pos0 + tokens) * kvHeads * headDim;
        check(q, (long) tokens * heads * headDim, "q");
        check(out, (long) tokens * heads * headDim, "out");
        check(keys, kv, "keys");
        check(values, kv, "values");
        ws.impl.attention(q, keys, values, out, tokens, pos0, heads, kvHeads, headDim);
    }

    /**
     * Llama's gated MLP activation over [off, off + n): gate[i] ← silu(gate[i]) · up[i], silu(g) =
     * g / (1 + e^−g). {@code up} is overwritten (scratch).
     */
    public static void siluMul(float[] gate, float[] up, int off, int n) {
        check(gate, (long) off + n, "gate");
        check(up, (long) off + n, "up");
        CpuKernels.siluMul(gate, up, off, n);
    }

    /** s[off, off + n) ← softmax of itself, in f32 with the maximum subtracted first. */
    public static void softmax(float[] s, int off, int n) {
        check(s, (long) off + n, "s");
        if (n < 1) throw new IllegalArgumentException("softmax of an empty row");
        CpuKernels.softmax(s, off, n);
    }

    /**
     * A Dr.LLM router's decision logits (skip, execute, repeat) for a prompt's hidden states
     * {@code hidden} [tokens, H] entering the router's layer: the states are mean-pooled over
     * min(windows, tokens) consecutive windows of tokens / nw tokens (the tail is dropped, as the
     * reference does), the MLP Linear(H→R) → GELU(tanh) → Linear(R→3) runs on each window mean, and
     * the logits are averaged. Build the {@link Router} from its four tensors (w1 [R, H], b1 [R],
     * w2 [3, R], b2 [3]); it is immutable and thread-safe.
     */
    public static float[] routerLogits(Router router, float[] hidden, int tokens, int windows) {
        check(hidden, (long) tokens * router.hiddenSize(), "hidden");
        float[] exact = hidden.length == tokens * router.hiddenSize() ? hidden : java.util.Arrays.copyOf(hidden, tokens * router.hiddenSize());
        return WindowPooling.windowed(windows).logits(router, exact, tokens);
    }

    /**
     * Whether every kernel family already runs its compiled Vector API body (a fresh JVM starts on
     * scalar twins with the same results; a background thread switches them within seconds, and
     * {@code DrLlm.warmUp} waits for it).
     */
    public static boolean vectorized() { return CpuKernels.vectorInUse(); }

    /**
     * Waits until every kernel runs its compiled Vector API body (starting the background warm-up
     * now if it has not started), or {@code timeout} passes; returns {@link #vectorized()}. Call it
     * before latency-sensitive work: a fresh JVM otherwise spends its first seconds on the scalar
     * twins (same results, slower).
     */
    public static boolean warmUp(java.time.Duration timeout) throws InterruptedException {
        return dev.drllm.cpu.KernelWarmup.awaitVector(timeout);
    }

    private static void check(float[] a, long need, String what) {
        Objects.requireNonNull(a, what);
        if (a.length < need) throw new IllegalArgumentException(what + " has " + a.length + " floats, needs " + need);
    }
}
