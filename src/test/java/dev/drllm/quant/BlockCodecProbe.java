package dev.drllm.quant;

import dev.drllm.model.DType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

/**
 * Run in a fresh JVM by {@link BlockCodecTest} with a narrower vector species than the machine's:
 * {@code -XX:MaxVectorSize=32} (the 8-lane kernels an AVX2 machine runs) and
 * {@code -XX:MaxVectorSize=16} (the 4-lane kernels of 128-bit machines: ARM NEON). Runs every
 * codec test of {@link BlockCodecTest} (decode and dot against llama.cpp's decoder, matvec row
 * ranges, the Q8_0 row passes, activation-layout reuse, quantizer round trips, the matmul / GEMM
 * paths and Q4_K's random blocks, with their tolerances) and Q6_K's decode matvec against
 * dequantize-then-f64 ({@link #worstError}); prints {@code lanes=N worst=E ok} (E: the largest
 * |error| / Σ|w·x| over every Q6_K row checked), or throws.
 */
public final class BlockCodecProbe {
    public static void main(String[] args) throws Exception {
        BlockCodecTest t = new BlockCodecTest();
        DType[] all = {DType.Q8_0, DType.Q4_0, DType.Q4_1, DType.Q5_0, DType.Q5_1, DType.Q4_K, DType.Q5_K, DType.Q6_K};
        DType[] written = {DType.Q8_0, DType.Q4_0, DType.Q5_0, DType.Q4_K, DType.Q6_K};
        for (DType d : all) {
            t.decodeAndDotMatchLlamaCpp(d);
            t.matmulMatchesDequantizedF32(d);
        }
        for (DType d : written) {
            t.matvecRowRangesMatchDequantizedF32(d);
            t.quantizeRoundTrip(d);
        }
        t.q8_0StagedAndStreamedRowsGiveTheSameBits();
        t.activationLayoutReusedOnlyForEqualInput(DType.Q4_K);
        t.activationLayoutReusedOnlyForEqualInput(DType.Q6_K);
        t.q4kMatvecOnRandomBlocks();
        System.out.printf(java.util.Locale.ROOT, "lanes=%d worst=%.3e ok%n", QuantKernels.LANES, worstError(new Random(9)));
    }

    /**
     * The largest |matvec − exact| / Σ|w·x| over rows of 256, 768, 2048 and 8192 weights, Gaussian
     * weights and near-zero groups (one outlier per 16, the rest quantized to q ≈ 32, where the
     * folded −32 offset cancels most), every row range of 0–5 rows at a few starts.
     */
    static double worstError(Random r) {
        DType t = DType.Q6_K;
        BlockCodec c = BlockCodec.of(t);
        double worst = 0;
        for (int in : new int[] {256, 768, 2048, 8192}) {
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
            float[] tmp = new float[QuantKernels.TMP];
            for (int r0 : new int[] {0, 3, 6}) {
                for (int n = 0; n <= 5; n++) {
                    float[] y = new float[out + 1];
                    c.matvec(seg, x, 3, in, y, 1, r0, r0 + n, tmp);
                    for (int o = r0; o < r0 + n; o++) {
                        double e = 0, mag = 0;
                        for (int i = 0; i < in; i++) {
                            double p = (double) wd[o * in + i] * x[3 + i];
                            e += p;
                            mag += Math.abs(p);
                        }
                        worst = Math.max(worst, Math.abs(y[1 + o] - e) / mag);
                    }
                }
            }
        }
        return worst;
    }
}
