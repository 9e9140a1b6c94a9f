package dev.drllm.routing;

import dev.drllm.Fixtures;
import dev.drllm.model.CheckpointException;
import dev.drllm.model.DType;
import dev.drllm.model.ModelConfig;
import dev.drllm.model.SafetensorsWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** routers.safetensors: save → load round trips, and typed errors for every way a file can be wrong. */
class RoutersFileTest {
    @TempDir Path tmp;

    static ModelConfig llamaConfig() {
        return ModelConfig.load(Fixtures.hfReference("llama").resolve("config.json"));
    }

    @Test
    void f32RoundTripIsExactAndKeepsWindows() throws IOException {
        ModelConfig c = llamaConfig();
        for (int seed = 0; seed < 5; seed++) {
            int W = 1 + seed * 3;
            Routers r = randomiseBiases(Routers.xavier(c.numLayers(), c.hiddenSize(), 8 + seed, W, seed), seed);
            Path f = tmp.resolve("r" + seed + ".safetensors");
            r.save(f, DType.F32);
            Routers back = Routers.load(f, c);
            assertEquals(W, back.windows());
            assertTrue(back.windowsStored());
            for (int l = 0; l < c.numLayers(); l++) {
                assertArrayEquals(r.get(l).w1(), back.get(l).w1());
                assertArrayEquals(r.get(l).b1(), back.get(l).b1());
                assertArrayEquals(r.get(l).w2(), back.get(l).w2());
                assertArrayEquals(r.get(l).b2(), back.get(l).b2());
            }
            // the stored W wins over a caller's guess: a mismatch is impossible
            assertEquals(W, Routers.load(f, c, W + 1).windows());
        }
    }

    @Test
    void bf16RoundTripRoundsToNearestEven() throws IOException {
        ModelConfig c = llamaConfig();
        Routers r = randomiseBiases(Routers.xavier(c.numLayers(), c.hiddenSize(), 16, 8, 7), 7);
        Path f = tmp.resolve("bf16.safetensors");
        r.save(f, DType.BF16);
        Routers back = Routers.load(f, c);
        for (int l = 0; l < c.numLayers(); l++) {
            float[] w = r.get(l).w1(), got = back.get(l).w1();
            for (int i = 0; i < w.length; i++) {
                assertEquals(Float.intBitsToFloat((SafetensorsWriter.toBf16(w[i]) & 0xFFFF) << 16), got[i]);
            }
            // saving the bf16 values again is lossless
        }
        Path f2 = tmp.resolve("bf16b.safetensors");
        back.save(f2, DType.BF16);
        assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(f2));
    }

    @Test
    void fileWithoutWindowsUsesTheReferenceDefault() throws IOException {
        ModelConfig c = llamaConfig();
        Path f = writeRaw(c, w -> {}, false);
        Routers r = Routers.load(f, c);
        assertEquals(WindowPooling.DEFAULT_WINDOWS, r.windows());
        assertFalse(r.windowsStored());
        assertEquals(4, Routers.load(f, c, 4).windows());
    }

    @Test
    void routersEmbeddedInACheckpointDirectory() throws IOException {
        ModelConfig c = llamaConfig();
        Path dir = Files.createDirectories(tmp.resolve("ck"));
        Routers r = Routers.xavier(c.numLayers(), c.hiddenSize(), 8, 8, 1);
        r.save(dir.resolve("model.safetensors"), DType.F32);
        Routers back = Routers.load(dir, c);
        assertArrayEquals(r.get(2).w2(), back.get(2).w2());
    }

    @Test
    void wrongHiddenSize() throws IOException {
        ModelConfig c = llamaConfig();
        Path f = tmp.resolve("h.safetensors");
        Routers.xavier(c.numLayers(), c.hiddenSize() + 1, 8, 8, 1).save(f, DType.F32);
        CheckpointException e = assertThrows(CheckpointException.class, () -> Routers.load(f, c));
        assertTrue(e.getMessage().contains("hidden size " + c.hiddenSize()), e.getMessage());
        assertEquals("model.routers.0.linear1.weight", e.tensor());
    }

    @Test
    void tooFewLayers() throws IOException {
        ModelConfig c = llamaConfig();
        Path f = tmp.resolve("few.safetensors");
        Routers.xavier(c.numLayers() - 1, c.hiddenSize(), 8, 8, 1).save(f, DType.F32);
        CheckpointException e = assertThrows(CheckpointException.class, () -> Routers.load(f, c));
        assertTrue(e.getMessage().contains("model.routers." + (c.numLayers() - 1)), e.getMessage());
        assertTrue(e.getMessage().contains(c.numLayers() + " layers"), e.getMessage());
    }

    @Test
    void tooManyLayers() throws IOException {
        ModelConfig c = llamaConfig();
        Path f = tmp.resolve("many.safetensors");
        Routers.xavier(c.numLayers() + 2, c.hiddenSize(), 8, 8, 1).save(f, DType.F32);
        CheckpointException e = assertThrows(CheckpointException.class, () -> Routers.load(f, c));
        assertTrue(e.getMessage().contains("router for layer " + c.numLayers()), e.getMessage());
    }

    @Test
    void malformedFilesGiveTypedErrors() throws IOException {
        ModelConfig c = llamaConfig();
        int H = c.hiddenSize();
        expect(c, "shape mismatch", w -> w.put("model.routers.1.linear2.weight", new Spec(new long[]{4, 8}, new float[32])), "model.routers.1.linear2.weight");
        expect(c, "shape mismatch", w -> w.put("model.routers.0.linear1.bias", new Spec(new long[]{9}, new float[9])), "model.routers.0.linear1.bias");
        expect(c, "rank 2", w -> w.put("model.routers.0.linear1.weight", new Spec(new long[]{8 * H}, new float[8 * H])), "model.routers.0.linear1.weight");
        float[] nan = new float[3];
        nan[1] = Float.NaN;
        expect(c, "non-finite", w -> w.put("model.routers.2.linear2.bias", new Spec(new long[]{3}, nan)), "model.routers.2.linear2.bias");
        expect(c, "unexpected router tensor", w -> w.put("model.routers.0.linear3.weight", new Spec(new long[]{1}, new float[1])), "model.routers.0.linear3.weight");
        expect(c, "unexpected router tensor", w -> w.put("model.routers.01.linear1.bias", new Spec(new long[]{1}, new float[1])), "model.routers.01.linear1.bias");

        Path meta = tmp.resolve("meta.safetensors");
        new SafetensorsWriter().metadata(Routers.WINDOWS_KEY, "eight").add("x", DType.F32, new long[]{1}, new float[1]).write(meta);
        assertTrue(assertThrows(CheckpointException.class, () -> Routers.load(meta, c)).getMessage().contains("not an integer"));
        new SafetensorsWriter().metadata(Routers.WINDOWS_KEY, "0").add("x", DType.F32, new long[]{1}, new float[1]).write(meta);
        assertTrue(assertThrows(CheckpointException.class, () -> Routers.load(meta, c)).getMessage().contains("must be >= 1"));

        Path none = tmp.resolve("none.safetensors");
        new SafetensorsWriter().add("model.embed_tokens.weight", DType.F32, new long[]{1}, new float[1]).write(none);
        assertTrue(assertThrows(CheckpointException.class, () -> Routers.load(none, c)).getMessage().contains("no router tensors"));

        Path ints = tmp.resolve("ints.safetensors");
        Files.write(ints, intRouterFile());
        assertTrue(assertThrows(CheckpointException.class, () -> Routers.load(ints, c)).getMessage().contains("unsupported router dtype"));

        Path missing = tmp.resolve("does-not-exist.safetensors");
        assertTrue(assertThrows(CheckpointException.class, () -> Routers.load(missing, c)).getMessage().contains("file not found"));
    }

    /** Random corruption of a valid file: either it still loads or it fails with a CheckpointException. */
    @Test
    void corruptedFilesNeverCrash() throws IOException {
        ModelConfig c = llamaConfig();
        Path good = tmp.resolve("good.safetensors");
        Routers.xavier(c.numLayers(), c.hiddenSize(), 4, 8, 3).save(good, DType.BF16);
        byte[] bytes = Files.readAllBytes(good);
        Random rnd = new Random(42);
        Path bad = tmp.resolve("bad.safetensors");
        int typed = 0;
        for (int it = 0; it < 300; it++) {
            byte[] b = bytes.clone();
            int flips = 1 + rnd.nextInt(4);
            // half the time aim at the header, where the structure lives
            for (int k = 0; k < flips; k++) {
                int at = rnd.nextBoolean() ? rnd.nextInt(Math.min(b.length, 600)) : rnd.nextInt(b.length);
                b[at] = (byte) rnd.nextInt(256);
            }
            if (rnd.nextInt(10) == 0) b = java.util.Arrays.copyOf(b, rnd.nextInt(b.length));
            Files.write(bad, b);
            try {
                Routers r = Routers.load(bad, c);
                assertEquals(c.numLayers(), r.numLayers());
            } catch (CheckpointException e) {
                typed++;
                assertTrue(e.getMessage().startsWith(bad.toString()), e.getMessage());
            }
        }
        assertTrue(typed > 0);
    }

    private void expect(ModelConfig c, String message, Consumer<Map<String, Spec>> tamper, String tensor) throws IOException {
        Path f = writeRaw(c, tamper, true);
        CheckpointException e = assertThrows(CheckpointException.class, () -> Routers.load(f, c));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertEquals(tensor, e.tensor(), e.getMessage());
    }

    record Spec(long[] shape, float[] values) {}

    /** A valid routers file (R = 8), after {@code tamper} has edited its tensor map. */
    private Path writeRaw(ModelConfig c, Consumer<Map<String, Spec>> tamper, boolean withWindows) throws IOException {
        Map<String, Spec> tensors = new LinkedHashMap<>();
        int H = c.hiddenSize(), R = 8;
        Random rnd = new Random(1);
        for (int l = 0; l < c.numLayers(); l++) {
            String p = Routers.PREFIX + l + ".";
            tensors.put(p + "linear1.weight", gaussian(rnd, R, H));
            tensors.put(p + "linear1.bias", gaussian(rnd, R));
            tensors.put(p + "linear2.weight", gaussian(rnd, 3, R));
            tensors.put(p + "linear2.bias", gaussian(rnd, 3));
        }
        tamper.accept(tensors);
        SafetensorsWriter w = new SafetensorsWriter();
        if (withWindows) w.metadata(Routers.WINDOWS_KEY, "8");
        tensors.forEach((name, spec) -> w.add(name, DType.F32, spec.shape(), spec.values()));
        Path f = Files.createTempFile(tmp, "routers", ".safetensors");
        w.write(f);
        return f;
    }

    private static Spec gaussian(Random rnd, long... shape) {
        int n = 1;
        for (long d : shape) n *= (int) d;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) rnd.nextGaussian() * 0.1f;
        return new Spec(shape, v);
    }

    /** A one-tensor safetensors file whose router weight is stored as I32. */
    private static byte[] intRouterFile() {
        String hdr = "{\"model.routers.0.linear1.weight\":{\"dtype\":\"I32\",\"shape\":[1,1],\"data_offsets\":[0,4]}}";
        byte[] h = hdr.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(8 + h.length + 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        bb.putLong(h.length).put(h).putInt(0);
        return bb.array();
    }

    private static Routers randomiseBiases(Routers r, long seed) {
        Random rnd = new Random(seed);
        java.util.List<Router> out = new java.util.ArrayList<>();
        for (Router x : r.all()) {
            float[] b1 = new float[x.routerHidden()], b2 = new float[3];
            for (int i = 0; i < b1.length; i++) b1[i] = (float) rnd.nextGaussian();
            for (int i = 0; i < b2.length; i++) b2[i] = (float) rnd.nextGaussian();
            out.add(new Router(x.hiddenSize(), x.routerHidden(), x.w1(), b1, x.w2(), b2));
        }
        return new Routers(out, r.windows());
    }
}
