package dev.drllm.cuda;

import dev.drllm.util.Json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes a random-weight Hugging Face checkpoint of a {@link BenchShapes.Shape} (config.json,
 * generation_config.json, one bf16 model.safetensors), so drllm and transformers load the identical
 * file. Matrices are uniform with standard deviation 0.02 (the Llama initializer's scale), norms 1.
 * Streams the data from worker threads straight into the file: a 3B checkpoint never sits in heap.
 */
public final class RandomCheckpoint {
    private RandomCheckpoint() {}

    record Spec(String name, long[] shape, boolean ones) {
        long numel() {
            long n = 1;
            for (long d : shape) n *= d;
            return n;
        }
    }

    static List<Spec> tensors(BenchShapes.Shape s) {
        List<Spec> t = new ArrayList<>();
        long H = s.hidden(), q = (long) s.heads() * s.headDim(), kv = (long) s.kvHeads() * s.headDim(), F = s.intermediate();
        t.add(new Spec("model.embed_tokens.weight", new long[]{s.vocab(), H}, false));
        for (int l = 0; l < s.layers(); l++) {
            String p = "model.layers." + l + ".";
            t.add(new Spec(p + "input_layernorm.weight", new long[]{H}, true));
            t.add(new Spec(p + "self_attn.q_proj.weight", new long[]{q, H}, false));
            t.add(new Spec(p + "self_attn.k_proj.weight", new long[]{kv, H}, false));
            t.add(new Spec(p + "self_attn.v_proj.weight", new long[]{kv, H}, false));
            t.add(new Spec(p + "self_attn.o_proj.weight", new long[]{H, q}, false));
            t.add(new Spec(p + "post_attention_layernorm.weight", new long[]{H}, true));
            t.add(new Spec(p + "mlp.gate_proj.weight", new long[]{F, H}, false));
            t.add(new Spec(p + "mlp.up_proj.weight", new long[]{F, H}, false));
            t.add(new Spec(p + "mlp.down_proj.weight", new long[]{H, F}, false));
        }
        t.add(new Spec("model.norm.weight", new long[]{H}, true));
        return t;
    }

    /** Writes the checkpoint into dir unless a complete one of the same shape is already there. */
    public static boolean write(BenchShapes.Shape s, Path dir, long seed) throws IOException {
        Path st = dir.resolve("model.safetensors"), cfg = dir.resolve("config.json"), done = dir.resolve(".complete");
        String cfgJson = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(s.config());
        if (Files.exists(done) && Files.exists(cfg) && Files.readString(cfg).equals(cfgJson)) return false;
        Files.createDirectories(dir);
        Files.deleteIfExists(done);
        List<Spec> specs = tensors(s);
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("__metadata__", Map.of("format", "pt", "drllm", "random weights for drllm bench, shape " + s.name()));
        long off = 0;
        long[] starts = new long[specs.size()];
        for (int i = 0; i < specs.size(); i++) {
            Spec sp = specs.get(i);
            long bytes = sp.numel() * 2;
            starts[i] = off;
            header.put(sp.name(), Map.of("dtype", "BF16", "shape", sp.shape(), "data_offsets", new long[]{off, off + bytes}));
            off += bytes;
        }
        byte[] h = Json.MAPPER.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int pad = (8 - h.length % 8) % 8;
        byte[] hp = new byte[h.length + pad];
        System.arraycopy(h, 0, hp, 0, h.length);
        for (int i = h.length; i < hp.length; i++) hp[i] = ' ';
        long dataStart = 8 + hp.length;
        try (FileChannel ch = FileChannel.open(st, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer lb = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(hp.length).flip();
            ch.write(lb, 0);
            ch.write(ByteBuffer.wrap(hp), 8);
            int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> fs = new ArrayList<>();
                final long chunk = 1L << 24;  // 8M bf16 values
                for (int i = 0; i < specs.size(); i++) {
                    Spec sp = specs.get(i);
                    for (long e0 = 0; e0 < sp.numel(); e0 += chunk) {
                        long from = e0, n = Math.min(chunk, sp.numel() - e0), pos = dataStart + starts[i] + from * 2;
                        long rs = seed * 0x9E3779B97F4A7C15L + i * 0x632BE59BD9B4E019L + from;
                        fs.add(pool.submit(() -> {
                            ByteBuffer b = ByteBuffer.allocateDirect((int) (n * 2)).order(ByteOrder.LITTLE_ENDIAN);
                            long x = rs | 1;
                            // uniform in [-a, a) with a = 0.02·√3, i.e. standard deviation 0.02
                            float a = 0.02f * (float) Math.sqrt(3);
                            for (long j = 0; j < n; j++) {
                                short v;
                                if (sp.ones()) v = (short) 0x3F80;
                                else {
                                    x ^= x << 13; x ^= x >>> 7; x ^= x << 17;
                                    float f = ((x >>> 40) * (1f / (1 << 24)) * 2f - 1f) * a;
                                    v = (short) ((Float.floatToRawIntBits(f) + 0x8000) >>> 16);
                                }
                                b.putShort(v);
                            }
                            b.flip();
                            long p = pos;
                            while (b.hasRemaining()) p += ch.write(b, p);
                            return null;
                        }));
                    }
                }
                for (Future<?> f : fs) f.get();
            } catch (Exception e) {
                throw new IOException("writing " + st + ": " + e, e);
            } finally {
                pool.shutdown();
            }
        }
        Files.writeString(cfg, cfgJson);
        Files.writeString(dir.resolve("generation_config.json"), "{\"bos_token_id\": 0, \"eos_token_id\": 1, \"do_sample\": false}\n");
        Files.writeString(done, "");
        return true;
    }
}
