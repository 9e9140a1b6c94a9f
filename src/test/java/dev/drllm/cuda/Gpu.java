package dev.drllm.cuda;

import dev.drllm.model.SafetensorsWriter;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Test helpers for the GPU tests: they skip with the reason where the cuda device is unavailable. */
final class Gpu {
    private Gpu() {}

    static void assume() {
        var a = CudaRuntime.availability();
        assumeTrue(a.available(), "skipped: no usable GPU (" + a.reason() + ")");
    }

    static float bf16(float v) {
        return Float.intBitsToFloat((SafetensorsWriter.toBf16(v) & 0xFFFF) << 16);
    }

    static short[] toBf16(float[] v) {
        short[] s = new short[v.length];
        for (int i = 0; i < v.length; i++) s[i] = SafetensorsWriter.toBf16(v[i]);
        return s;
    }

    static float[] fromBf16(short[] s) {
        float[] f = new float[s.length];
        for (int i = 0; i < s.length; i++) f[i] = Float.intBitsToFloat((s[i] & 0xFFFF) << 16);
        return f;
    }

    static long uploadBf16(CudaContext cu, float[] v) {
        short[] s = toBf16(v);
        long p = cu.alloc(2L * s.length);
        cu.upload(p, java.lang.foreign.MemorySegment.ofArray(s), 2L * s.length);
        return p;
    }

    static float[] random(java.util.Random r, int n, float scale) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) (r.nextGaussian() * scale);
        return f;
    }

    /** Values exactly representable in bf16 (weights as a bf16 checkpoint holds them). */
    static float[] randomBf16(java.util.Random r, int n, float scale) {
        float[] f = random(r, n, scale);
        for (int i = 0; i < n; i++) f[i] = bf16(f[i]);
        return f;
    }

    static float maxAbs(float[] a) {
        float m = 0;
        for (float v : a) m = Math.max(m, Math.abs(v));
        return m;
    }
}
