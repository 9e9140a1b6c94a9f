package dev.drllm.synthetic;

import dev.drllm.cuda.BenchShapes;
import dev.drllm.model.DType;
import dev.drllm.model.SafetensorsWriter;
import dev.drllm.util.AtomicFiles;
import dev.drllm.util.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a random-weight Hugging Face checkpoint of a {@link BenchShapes.Shape} (config.json,
 * generation_config.json, one bf16 model.safetensors) for {@code drllm bench}, so drllm and
 * transformers load the identical file. Matrices are uniform with standard deviation 0.02 (the
 * Llama initializer's scale), norms 1; the numbers are meaningless, only shapes and bytes matter.
 * The weights are streamed through {@link SafetensorsWriter} a chunk at a time: a 3B checkpoint
 * never sits in heap. Not engine code: a benchmark helper, kept out of the engine packages.
 */
public final class RandomCheckpoint {
    /** Each generator restarts from a fresh seed every 2^24 elements (reproducible whatever the chunking). */
    private static final long RESEED = 1L << 24;

    private RandomCheckpoint() {}

    /** Writes the checkpoint into dir unless a complete one of the same shape is already there; true when it wrote one. */
    public static boolean write(BenchShapes.Shape s, Path dir, long seed) throws IOException {
        Path cfg = dir.resolve("config.json"), done = dir.resolve(".complete");
        String cfgJson = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(s.config());
        if (Files.exists(done) && Files.exists(cfg) && Files.readString(cfg).equals(cfgJson)) return false;
        Files.createDirectories(dir);
        Files.deleteIfExists(done);
        SafetensorsWriter w = new SafetensorsWriter();
        w.metadata("format", "pt").metadata("drllm", "random weights for drllm bench, shape " + s.name());
        long H = s.hidden(), q = (long) s.heads() * s.headDim(), kv = (long) s.kvHeads() * s.headDim(), F = s.intermediate();
        int[] index = {0};
        java.util.function.BiConsumer<String, long[]> matrix = (name, shape) -> w.add(name, DType.BF16, shape, uniform(seed, index[0]++));
        java.util.function.Consumer<String> norm = name -> {
            index[0]++;
            w.add(name, DType.BF16, new long[]{H}, (from, out, n) -> java.util.Arrays.fill(out, 0, n, 1f));
        };
        matrix.accept("model.embed_tokens.weight", new long[]{s.vocab(), H});
        for (int l = 0; l < s.layers(); l++) {
            String p = "model.layers." + l + ".";
            norm.accept(p + "input_layernorm.weight");
            matrix.accept(p + "self_attn.q_proj.weight", new long[]{q, H});
            matrix.accept(p + "self_attn.k_proj.weight", new long[]{kv, H});
            matrix.accept(p + "self_attn.v_proj.weight", new long[]{kv, H});
            matrix.accept(p + "self_attn.o_proj.weight", new long[]{H, q});
            norm.accept(p + "post_attention_layernorm.weight");
            matrix.accept(p + "mlp.gate_proj.weight", new long[]{F, H});
            matrix.accept(p + "mlp.up_proj.weight", new long[]{F, H});
            matrix.accept(p + "mlp.down_proj.weight", new long[]{H, F});
        }
        norm.accept("model.norm.weight");
        w.write(dir.resolve("model.safetensors"));
        AtomicFiles.writeString(cfg, cfgJson);
        AtomicFiles.writeString(dir.resolve("generation_config.json"), "{\"bos_token_id\": 0, \"eos_token_id\": 1, \"do_sample\": false}\n");
        Files.writeString(done, "");
        return true;
    }

    /** Uniform in [-a, a) with a = 0.02·√3 (standard deviation 0.02), from a xorshift64 generator per tensor. */
    private static SafetensorsWriter.Values uniform(long seed, int tensor) {
        float a = 0.02f * (float) Math.sqrt(3);
        long[] x = {0};
        return (from, out, n) -> {
            for (int j = 0; j < n; j++) {
                long e = from + j;
                if (e % RESEED == 0) x[0] = (seed * 0x9E3779B97F4A7C15L + tensor * 0x632BE59BD9B4E019L + e) | 1;
                long v = x[0];
                v ^= v << 13;
                v ^= v >>> 7;
                v ^= v << 17;
                x[0] = v;
                out[j] = ((v >>> 40) * (1f / (1 << 24)) * 2f - 1f) * a;
            }
        };
    }
}
