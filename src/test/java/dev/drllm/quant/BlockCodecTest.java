package dev.drllm.quant;

import dev.drllm.Fixtures;
import dev.drllm.cpu.CpuKernels;
import dev.drllm.model.DType;
import dev.drllm.model.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every block type against llama.cpp's own decoder (gguf-py's {@code dequantize} on random blocks,
 * src/test/resources/quant/make_reference.py), then the fused dots against the same values, then
 * the kernels end to end against dequantize-then-f32.
 */
class BlockCodecTest {
    static Path dir() {
        return Fixtures.projectDir().resolve("src/test/resources/quant");
    }

    static MemorySegment blocks(DType t) throws IOException {
        return MemorySegment.ofArray(Files.readAllBytes(dir().resolve(t + ".blocks")));
    }

    static float[] reference(DType t) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(dir().resolve(t + ".f32"))).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    static float maxAbs(float[] a) {
        float m = 0;
        for (float v : a) m = Math.max(m, Math.abs(v));
        return m;
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"})
    void decodeAndDotMatchLlamaCpp(DType t) throws IOException {
        MemorySegment seg = blocks(t);
        float[] ref = reference(t);
        BlockCodec c = BlockCodec.of(t);
        int blocks = (int) (seg.byteSize() / t.blockBytes());
        int n = blocks * t.blockSize();
        assertEquals(ref.length, n, t + " reference length");
        float[] got = new float[n + 7];
        c.dequantize(seg, 0, got, 7, blocks);
        // gguf-py multiplies in another order (e.g. (d · sc) · q vs d · (sc · q)) and the vector
        // paths use fused multiply-adds: a few ulp of the largest value
        float tol = maxAbs(ref) * 1e-6f;
        for (int i = 0; i < n; i++) assertEquals(ref[i], got[7 + i], tol, t + " element " + i);
        Random r = new Random(1);
        float[] x = new float[n + 3];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        double exact = 0, mag = 0;
        for (int i = 0; i < n; i++) {
            exact += (double) ref[i] * x[3 + i];
            mag += Math.abs((double) ref[i] * x[3 + i]);
        }
        float dot = c.dot(seg, 0, x, 3, blocks, new float[QuantKernels.TMP]);
        // f32 accumulation in another order: relative to Σ|w·x|
        assertEquals(exact, dot, mag * 1e-5, t + " fused dot");
        // a dot starting mid-tensor (offsets, fewer blocks)
        double part = 0;
        for (int i = t.blockSize(); i < n; i++) part += (double) ref[i] * x[3 + i];
        assertEquals(part, c.dot(seg, t.blockBytes(), x, 3 + t.blockSize(), blocks - 1, new float[QuantKernels.TMP]), mag * 1e-5, t + " offset dot");
    }

    /**
     * matvec over every row range of 0–9 rows at several starts (Q8_0 runs four rows per pass, a
     * quarter of the range apart, the leftover rows with the same arithmetic), against
     * dequantize-then-f32: within 1e-5 of Σ|w·x| per row, rows outside the range untouched, and
     * each row bit for bit what a call for that row alone gives. Q4_K (on 8-bit activations) is checked
     * against the f32 product with those activations; Q6_K against plain f32.
     */
    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"Q8_0", "Q4_0", "Q5_0", "Q4_K", "Q6_K"})
    void matvecRowRangesMatchDequantizedF32(DType t) {
        int out = 23, in = 3 * t.blockSize();
        Random r = new Random(5);
        float[] w = new float[out * in];
        for (int i = 0; i < w.length; i++) w[i] = (float) (r.nextGaussian() * 0.05);
        BlockCodec c = BlockCodec.of(t);
        MemorySegment seg = Arena.ofAuto().allocate(t.bytesOf((long) out * in));
        c.quantize(w, 0, out * in / t.blockSize(), seg, 0);
        float[] wd = new float[out * in];
        c.dequantize(seg, 0, wd, 0, out * in / t.blockSize());
        float[] x = new float[in + 5];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        float[] xr = t == DType.Q4_K ? q8Reference(x, 5, in) : java.util.Arrays.copyOfRange(x, 5, x.length);
        for (int r0 : new int[] {0, 1, 6, 13}) {
            for (int n = 0; n <= 9; n++) {
                float[] y = new float[out + 2];
                java.util.Arrays.fill(y, Float.NaN);
                c.matvec(seg, x, 5, in, y, 2, r0, r0 + n, new float[QuantKernels.TMP]);
                for (int o = 0; o < out; o++) {
                    if (o < r0 || o >= r0 + n) {
                        assertTrue(Float.isNaN(y[2 + o]), t + " row " + o + " outside [" + r0 + ", " + (r0 + n) + ") written");
                        continue;
                    }
                    double e = 0, mag = 0;
                    for (int i = 0; i < in; i++) {
                        double p = (double) wd[o * in + i] * xr[i];
                        e += p;
                        mag += Math.abs(p);
                    }
                    assertEquals(e, y[2 + o], mag * 1e-5, t + " rows [" + r0 + ", " + (r0 + n) + "), row " + o);
                    // a row's value does not depend on how the rows were split (among threads): the same bits alone
                    float[] one = new float[out + 2];
                    c.matvec(seg, x, 5, in, one, 2, o, o + 1, new float[QuantKernels.TMP]);
                    assertEquals(one[2 + o], y[2 + o], 0f, t + " row " + o + " alone vs in rows [" + r0 + ", " + (r0 + n) + ")");
                }
            }
        }
    }

    /**
     * Q8_0's two row passes (four adjacent rows staged through an array where vectors are
     * narrower than 512 bits; four rows a quarter of the range apart read in place with 512-bit
     * vectors) give every row the same bits, whichever this JVM's {@code matvec} takes: every range
     * of 0–9 rows at several starts, on rows of 1 and 5 blocks.
     */
    @Test
    void q8_0StagedAndStreamedRowsGiveTheSameBits() {
        for (int blocks : new int[] {1, 5}) {
            int out = 23, in = 32 * blocks;
            Random r = new Random(blocks);
            float[] w = new float[out * in];
            for (int i = 0; i < w.length; i++) w[i] = (float) (r.nextGaussian() * 0.05);
            MemorySegment seg = Arena.ofAuto().allocate(DType.Q8_0.bytesOf((long) out * in));
            Q8_0.INSTANCE.quantize(w, 0, out * blocks, seg, 0);
            seg.set(ValueLayout.JAVA_BYTE, 7, (byte) -128); // a byte ggml's quantizer never writes
            float[] x = new float[in + 3];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
            for (int r0 : new int[] {0, 1, 6, 13}) {
                for (int n = 0; n <= 9; n++) {
                    float[] a = new float[out + 1], b = new float[out + 1];
                    Q8_0.matvecStaged(seg, x, 3, in, a, 1, r0, r0 + n, new float[QuantKernels.TMP]);
                    Q8_0.matvecStreams(seg, x, 3, in, b, 1, r0, r0 + n, new float[QuantKernels.TMP]);
                    for (int o = 0; o < a.length; o++) {
                        assertEquals(Float.floatToRawIntBits(b[o]), Float.floatToRawIntBits(a[o]), blocks + " blocks, rows [" + r0 + ", " + (r0 + n) + "), y[" + o + "]");
                    }
                }
            }
        }
    }

    /**
     * Q4_K and Q6_K lay out their activation once per input and keep it while the next call's
     * input is equal ({@link LastInput}): a call after the same array was changed in place (one
     * value, the last; or only the sign of a zero), or on another offset of it, gives the bits of
     * a fresh layout; calls on equal contents in another array give the same bits; and the row
     * chunks of one matrix, called one after another on the same input, give what one call gives.
     */
    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"Q4_K", "Q6_K"})
    void activationLayoutReusedOnlyForEqualInput(DType t) {
        // the 1B shape's two widths, and back: a call of another width never takes the other's layout
        for (int in : new int[] {2048, 8192, 2048}) layoutReuse(t, in);
    }

    private static void layoutReuse(DType t, int in) {
        int out = 9;
        Random r = new Random(13);
        float[] w = new float[out * in];
        for (int i = 0; i < w.length; i++) w[i] = (float) (r.nextGaussian() * 0.05);
        BlockCodec c = BlockCodec.of(t);
        MemorySegment seg = Arena.ofAuto().allocate(t.bytesOf((long) out * in));
        c.quantize(w, 0, out * in / 256, seg, 0);
        float[] tmp = new float[QuantKernels.TMP];
        float[] x = new float[in + 256];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        x[in / 2] = 0f;
        float[] other = new float[in];
        for (int i = 0; i < in; i++) other[i] = (float) r.nextGaussian();
        // fresh: the layout of an unrelated input is made in between
        java.util.function.Function<float[], float[]> fresh = v -> {
            float[] y = new float[out], scratch = new float[out];
            c.matvec(seg, other, 0, in, scratch, 0, 0, out, tmp);
            c.matvec(seg, v, 0, in, y, 0, 0, out, tmp);
            return y;
        };
        float[] y = new float[out];
        // row chunks on the same input, as a pool loop calls them
        c.matvec(seg, x, 0, in, y, 0, 0, 4, tmp);
        c.matvec(seg, x, 0, in, y, 0, 4, 7, tmp);
        c.matvec(seg, x, 0, in, y, 0, 7, out, tmp);
        assertArrayEquals(fresh.apply(java.util.Arrays.copyOf(x, in)), y, t + " " + in + " row chunks");
        float[] before = y.clone();
        java.util.function.Consumer<String> check = what -> {
            float[] z = new float[out];
            c.matvec(seg, x, 0, in, z, 0, 0, out, tmp);
            assertArrayEquals(fresh.apply(java.util.Arrays.copyOf(x, in)), z, t + " " + in + " after " + what);
        };
        c.matvec(seg, x, 0, in, y, 0, 0, out, tmp);
        x[in - 1] += 100f;
        check.accept("the last value changed in place");
        x[in / 2] = -0f;
        check.accept("+0 became -0");
        float[] z = new float[out];
        c.matvec(seg, x, 256, in, z, 0, 0, out, tmp);
        assertArrayEquals(fresh.apply(java.util.Arrays.copyOfRange(x, 256, 256 + in)), z, t + " " + in + " another offset of the same array");
        float[] copy = java.util.Arrays.copyOf(x, in);
        c.matvec(seg, x, 0, in, y, 0, 0, out, tmp);
        c.matvec(seg, copy, 0, in, z, 0, 0, out, tmp);
        assertArrayEquals(y, z, t + " " + in + " equal contents in another array");
        assertTrue(!java.util.Arrays.equals(before, y), t + " " + in + ": the changed input changed the result");
    }

    /**
     * Q6_K's decode matvec (its own kernels for 16, 8 and 4 lanes, the activation laid out in their
     * lane order, the −32 offset folded into per-16 activation sums) on long rows (up to the 1B
     * model's 8192) and on rows whose groups are one outlier and fifteen near-zero weights (q ≈ 32,
     * where the offset term cancels most of the raw-q term): within 1e-5 of Σ|w·x| per row, on this
     * machine's species. Then every codec test of this class, with the same tolerances, in fresh
     * JVMs ({@link BlockCodecProbe}) on 8 lanes ({@code -XX:MaxVectorSize=32}: AVX2) and on 4 lanes
     * ({@code -XX:MaxVectorSize=16}: 128-bit vectors, ARM NEON; the codecs' 4-lane paths), each
     * run's species checked by its lane count.
     */
    @org.junit.jupiter.api.Test
    void codecsOnEightAndFourLanes() throws Exception {
        assertTrue(BlockCodecProbe.worstError(new Random(9)) < 1e-5, "Q6_K matvec on " + QuantKernels.LANES + " lanes");
        for (int bytes : new int[] {32, 16}) {
            java.util.List<String> cmd = java.util.List.of(ProcessHandle.current().info().command().orElse("java"),
                    "--add-modules", "jdk.incubator.vector", "-XX:MaxVectorSize=" + bytes, "-Ddrllm.kernels=vector",
                    "-Ddrllm.project.dir=" + Fixtures.projectDir(),
                    "-cp", System.getProperty("java.class.path"), BlockCodecProbe.class.getName());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(3, java.util.concurrent.TimeUnit.MINUTES), "probe did not finish");
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("lanes=(\\d+) worst=(\\S+) ok").matcher(log);
            assertTrue(m.find(), "probe with -XX:MaxVectorSize=" + bytes + ", output:\n" + log);
            assertEquals(bytes / 4, Integer.parseInt(m.group(1)), "species under -XX:MaxVectorSize=" + bytes + ":\n" + log);
            assertTrue(Double.parseDouble(m.group(2)) < 1e-5, "Q6_K matvec on " + bytes / 4 + " lanes:\n" + log);
        }
    }

    /**
     * Quantizers drllm writes: decode(encode(x)) stays within the type's resolution. Tolerances: the
     * RMS error relative to the RMS of N(0, 1) rows, 1% for 8 bits, 12% for 4, 6% for 5 and 6 bits.
     */
    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"Q8_0", "Q4_0", "Q5_0", "Q4_K", "Q6_K"})
    void quantizeRoundTrip(DType t) {
        BlockCodec c = BlockCodec.of(t);
        assertTrue(c.canQuantize());
        int blocks = 2048 / t.blockSize();
        int n = blocks * t.blockSize();
        Random r = new Random(7);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (r.nextGaussian() * 0.02);
        x[5] = 0.3f; // an outlier, as real weights have
        MemorySegment seg = Arena.ofAuto().allocate((long) blocks * t.blockBytes());
        c.quantize(x, 0, blocks, seg, 0);
        float[] back = new float[n];
        c.dequantize(seg, 0, back, 0, blocks);
        double err = 0, norm = 0;
        for (int i = 0; i < n; i++) {
            err += (back[i] - x[i]) * (double) (back[i] - x[i]);
            norm += x[i] * (double) x[i];
        }
        double rel = Math.sqrt(err / norm);
        double tol = switch (t) {
            case Q8_0 -> 0.01;
            case Q4_0, Q4_K -> 0.12;
            default -> 0.06;
        };
        assertTrue(rel < tol, t + ": relative RMS error " + rel + " ≥ " + tol);
        // all-zero blocks encode to zeros (no NaN from a zero scale)
        float[] zeros = new float[n];
        c.quantize(zeros, 0, blocks, seg, 0);
        c.dequantize(seg, 0, back, 0, blocks);
        for (float v : back) assertEquals(0f, v, 0f); // ±0
    }

    /**
     * CpuKernels.matmul on a quantized matrix (decode matvec for 1–3 tokens, tiled GEMM from 4, the
     * outer-product GEMM from 16) against dequantize-then-f32, rows split across two "workers".
     */
    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"})
    void matmulMatchesDequantizedF32(DType t) {
        int out = 37, in = 2 * 256 + (t.blockSize() == 32 ? 64 : 256);
        Random r = new Random(3);
        float[] w = new float[out * in];
        for (int i = 0; i < w.length; i++) w[i] = (float) (r.nextGaussian() * 0.05);
        // encode with a writer this type has, or with random valid blocks for the read-only ones
        MemorySegment seg = Arena.ofAuto().allocate(t.bytesOf((long) out * in));
        BlockCodec c = BlockCodec.of(t);
        if (c.canQuantize()) {
            c.quantize(w, 0, out * in / t.blockSize(), seg, 0);
        } else {
            for (long i = 0; i < seg.byteSize(); i++) seg.set(ValueLayout.JAVA_BYTE, i, (byte) r.nextInt());
            long blocksN = seg.byteSize() / t.blockBytes();
            for (long b = 0; b < blocksN; b++) {
                seg.set(ValueLayout.JAVA_SHORT_UNALIGNED, b * t.blockBytes(), Float.floatToFloat16((float) (r.nextGaussian() * 0.01)));
                seg.set(ValueLayout.JAVA_SHORT_UNALIGNED, b * t.blockBytes() + 2, Float.floatToFloat16((float) (r.nextGaussian() * 0.01)));
            }
        }
        float[] wd = new float[out * in];
        c.dequantize(seg, 0, wd, 0, out * in / t.blockSize());
        Tensor tensor = new Tensor(Path.of("test"), "w", t, new long[]{out, in}, seg);
        for (int tokens : new int[]{1, 3, 5, 20}) {
            float[] x = new float[tokens * in];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
            float[] y = new float[tokens * out];
            float[] wbuf = new float[CpuKernels.WBUF];
            if (tokens >= CpuKernels.GEMM_T_MIN) {
                int tp = CpuKernels.paddedTokens(tokens);
                MemorySegment xT = Arena.ofAuto().allocate((long) in * tp * 4, CpuKernels.XT_ALIGN);
                CpuKernels.transpose(x, tokens, in, xT, tp);
                float[] yT = new float[out * tp];
                CpuKernels.gemmT(xT, tp, x, tokens, in, tensor, y, out, 0, 20, wbuf, yT, 0);
                CpuKernels.gemmT(xT, tp, x, tokens, in, tensor, y, out, 20, out, wbuf, yT, 20 * tp);
            } else {
                CpuKernels.matmul(x, x, tokens, in, tensor, y, out, 0, 20, wbuf);
                CpuKernels.matmul(x, x, tokens, in, tensor, y, out, 20, out, wbuf);
            }
            boolean q8 = tokens < 4 && t == DType.Q4_K;
            for (int tk = 0; tk < tokens; tk++) {
                float[] xq = q8 ? q8Reference(x, tk * in, in) : null;
                for (int o = 0; o < out; o++) {
                    double e = 0, mag = 0, eq = 0, bound = 0;
                    for (int i = 0; i < in; i++) {
                        e += (double) wd[o * in + i] * x[tk * in + i];
                        mag += Math.abs((double) wd[o * in + i] * x[tk * in + i]);
                        if (q8) {
                            eq += (double) wd[o * in + i] * xq[i];
                            bound += Math.abs((double) wd[o * in + i]) * xq[in + i / 256];
                        }
                    }
                    if (q8) {
                        // the Q4_K decode dot quantizes x to 8 bits (Q8Activation, as llama.cpp): exact on those
                        // activations up to f32 rounding, and within Σ|w| · max|x| / 254 per 256 values of the f32 result
                        assertEquals(eq, y[tk * out + o], mag * 1e-5 + 1e-7, t + " tokens " + tokens + " row " + o + " (8-bit activations)");
                        assertEquals(e, y[tk * out + o], bound * 1.0001 + mag * 1e-5 + 1e-7, t + " tokens " + tokens + " row " + o);
                    } else {
                        assertEquals(e, y[tk * out + o], mag * 1e-5 + 1e-7, t + " tokens " + tokens + " row " + o);
                    }
                }
            }
        }
    }

    /**
     * Q4_K's decode matvec on random blocks (every bit pattern of the packed six-bit scales and
     * minima and of the nibbles, not only what drllm's quantizer writes), rows of 1, 3 and 8
     * super-blocks, row ranges with leftovers: against the f64 product of the dequantized rows with
     * the same 8-bit activations, within 1e-5 · Σ|w·x| per row. Surefire's execution {@code
     * avx2-species} runs this class again with 256-bit vectors ({@code -XX:UseAVX=2}): the dot has
     * a separate path and activation lane order for them, checked here by the vector width.
     */
    @Test
    void q4kMatvecOnRandomBlocks() {
        String bits = System.getProperty("drllm.test.vectorBits");
        if (bits != null && System.getProperty("os.arch").equals("amd64")) {
            assertEquals(Fixtures.vectorBitsOfRun(Integer.parseInt(bits)), QuantKernels.F.vectorBitSize(), "vector width of this run");
        }
        Random r = new Random(17);
        for (int blocks : new int[] {1, 3, 8}) {
            int in = 256 * blocks, out = 11;
            MemorySegment seg = Arena.ofAuto().allocate(144L * blocks * out);
            for (long i = 0; i < seg.byteSize(); i++) seg.set(ValueLayout.JAVA_BYTE, i, (byte) r.nextInt());
            for (long b = 0; b < (long) blocks * out; b++) {
                seg.set(QuantKernels.SHORT_LE, b * 144, Float.floatToFloat16((float) (r.nextDouble() * 0.02)));
                seg.set(QuantKernels.SHORT_LE, b * 144 + 2, Float.floatToFloat16((float) (r.nextDouble() * 0.02)));
            }
            float[] wd = new float[out * in];
            BlockCodec c = BlockCodec.of(DType.Q4_K);
            c.dequantize(seg, 0, wd, 0, out * blocks);
            float[] x = new float[in + 3];
            for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * (1 + i % 7));
            float[] xr = q8Reference(x, 3, in);
            float[] y = new float[out];
            c.matvec(seg, x, 3, in, y, 0, 0, 4, new float[QuantKernels.TMP]);
            c.matvec(seg, x, 3, in, y, 0, 4, out, new float[QuantKernels.TMP]);
            for (int o = 0; o < out; o++) {
                double e = 0, mag = 0;
                for (int i = 0; i < in; i++) {
                    double p = (double) wd[o * in + i] * xr[i];
                    e += p;
                    mag += Math.abs(p);
                }
                assertEquals(e, y[o], mag * 1e-5, "Q4_K random blocks, " + blocks + " super-blocks, row " + o);
            }
        }
    }

    /**
     * llama.cpp's Q8_K activations, written out: per 256 values d = max|x| / 127, x' = d · round(x / d)
     * (half to even). Returns x' followed by d / 2 per block (the largest rounding error).
     */
    static float[] q8Reference(float[] x, int off, int n) {
        float[] r = new float[n + n / 256];
        for (int b = 0; b < n / 256; b++) {
            float amax = 0;
            for (int i = 0; i < 256; i++) amax = Math.max(amax, Math.abs(x[off + b * 256 + i]));
            float d = amax / 127f, id = amax > 0 ? 127f / amax : 0f;
            for (int i = 0; i < 256; i++) r[b * 256 + i] = d * (float) Math.rint(x[off + b * 256 + i] * id);
            r[n + b] = d / 2;
        }
        return r;
    }
}
