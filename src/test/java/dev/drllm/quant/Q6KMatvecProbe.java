package dev.drllm.quant;

import dev.drllm.model.DType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

/**
 * Run in a fresh JVM by {@link BlockCodecTest} with a narrower vector species than the machine's
 * ({@code -XX:MaxVectorSize=32}: the 8-lane kernel an AVX2 machine runs): Q6_K's decode matvec
 * against dequantize-then-f64 on its activations as laid out ({@link #worstError}), printed as
 * {@code lanes=N worst=E} (E: the largest |error| / Σ|w·x'| over every row checked, x' the
 * activations as laid out: 16-bit for rows over 4096 values; infinite when a row is off the f64
 * product with x itself by more than that quantization's bound, Σ|w| · max|x| / 65534 per 256 values).
 */
public final class Q6KMatvecProbe {
    public static void main(String[] args) {
        System.out.printf(java.util.Locale.ROOT, "lanes=%d worst=%.3e%n", QuantKernels.LANES, worstError(new Random(9)));
    }

    /**
     * The largest |matvec − exact| / Σ|w·x'| (x' the activations as laid out: x itself up to 4096
     * values, 16-bit above; infinite past their rounding bound from the product with x) over rows of
     * 256, 768, 2048, 4096 (the widest in f32), 4352 and 8192 weights, Gaussian
     * weights and near-zero groups (one outlier per 16, the rest quantized to q ≈ 32, where the
     * folded −32 offset cancels most), every row range of 0–5 rows at a few starts.
     */
    static double worstError(Random r) {
        DType t = DType.Q6_K;
        BlockCodec c = BlockCodec.of(t);
        double worst = 0;
        for (int in : new int[] {256, 768, 2048, 4096, 4352, 8192}) {
            int out = 11;
            float[] w = new float[out * in];
            for (int i = 0; i < w.length; i++) {
                boolean sparse = (i / in) % 3 == 2;
                w[i] = (float) (sparse ? (i % 16 == 5 ? r.nextGaussian() : r.nextGaussian() * 1e-3) : r.nextGaussian() * 0.05);
            }
            MemorySegment seg = Arena.ofAuto().allocate(t.bytesOf((long) out * in));
            c.quantize(w, 0, out * in / 256, seg, 0);
            float[] wd = new float[out * in];
            c.dequantize(seg, 0, wd, 0, out * in / 256);
            float[] x = new float[in + 3];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
            // as the kernel sees them: 16-bit activations for wide rows, else x itself (no rounding bound)
            float[] xq = in > Q6_K.Activation.WIDE ? BlockCodecTest.quantizedReference(x, 3, in, 32767)
                    : java.util.Arrays.copyOfRange(x, 3, 3 + in + in / 256);
            if (in <= Q6_K.Activation.WIDE) java.util.Arrays.fill(xq, in, xq.length, 0f);
            float[] tmp = new float[QuantKernels.TMP];
            for (int r0 : new int[] {0, 3, 6}) {
                for (int n = 0; n <= 5; n++) {
                    float[] y = new float[out + 1];
                    c.matvec(seg, x, 3, in, y, 1, r0, r0 + n, tmp);
                    for (int o = r0; o < r0 + n; o++) {
                        double e = 0, mag = 0, eq = 0, magq = 0, bound = 0;
                        for (int i = 0; i < in; i++) {
                            double p = (double) wd[o * in + i] * x[3 + i], pq = (double) wd[o * in + i] * xq[i];
                            e += p;
                            mag += Math.abs(p);
                            eq += pq;
                            magq += Math.abs(pq);
                            bound += Math.abs((double) wd[o * in + i]) * xq[in + i / 256];
                        }
                        // beyond the 16-bit activations' own rounding bound from the f32 result: fails whatever the f32 rounding
                        if (Math.abs(y[1 + o] - e) > bound * 1.0001 + mag * 1e-5) return Double.POSITIVE_INFINITY;
                        worst = Math.max(worst, Math.abs(y[1 + o] - eq) / magq);
                    }
                }
            }
        }
        return worst;
    }
}
