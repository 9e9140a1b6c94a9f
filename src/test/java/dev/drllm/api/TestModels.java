package dev.drllm.api;

import dev.drllm.model.DType;
import dev.drllm.model.SafetensorsWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Small random Llama checkpoints written on the fly (2 layers, hidden 16, vocab 64), so tests can
 * corrupt one field at a time without touching the shipped models.
 */
final class TestModels {
    static final int VOCAB = 64, HIDDEN = 16, FFN = 32, HEADS = 2, KV_HEADS = 1, HEAD_DIM = 8, LAYERS = 2, MAX_POS = 64;

    private TestModels() {}

    static String config() {
        return """
                {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": %d, "hidden_size": %d,
                 "intermediate_size": %d, "num_hidden_layers": %d, "num_attention_heads": %d, "num_key_value_heads": %d,
                 "head_dim": %d, "max_position_embeddings": %d, "rms_norm_eps": 1e-5, "rope_theta": 10000.0,
                 "tie_word_embeddings": true, "hidden_act": "silu", "bos_token_id": 0, "eos_token_id": 0, "torch_dtype": "float32"}
                """.formatted(VOCAB, HIDDEN, FFN, LAYERS, HEADS, KV_HEADS, HEAD_DIM, MAX_POS);
    }

    /** name → shape for every tensor of the test architecture. */
    static Map<String, long[]> shapes() {
        Map<String, long[]> m = new LinkedHashMap<>();
        m.put("model.embed_tokens.weight", new long[]{VOCAB, HIDDEN});
        for (int l = 0; l < LAYERS; l++) {
            String p = "model.layers." + l + ".";
            m.put(p + "input_layernorm.weight", new long[]{HIDDEN});
            m.put(p + "self_attn.q_proj.weight", new long[]{HEADS * HEAD_DIM, HIDDEN});
            m.put(p + "self_attn.k_proj.weight", new long[]{KV_HEADS * HEAD_DIM, HIDDEN});
            m.put(p + "self_attn.v_proj.weight", new long[]{KV_HEADS * HEAD_DIM, HIDDEN});
            m.put(p + "self_attn.o_proj.weight", new long[]{HIDDEN, HEADS * HEAD_DIM});
            m.put(p + "post_attention_layernorm.weight", new long[]{HIDDEN});
            m.put(p + "mlp.gate_proj.weight", new long[]{FFN, HIDDEN});
            m.put(p + "mlp.up_proj.weight", new long[]{FFN, HIDDEN});
            m.put(p + "mlp.down_proj.weight", new long[]{HIDDEN, FFN});
        }
        m.put("model.norm.weight", new long[]{HIDDEN});
        return m;
    }

    /** Random weights (norms 1, matrices N(0, 0.2²)) for every tensor, deterministic in the seed. */
    static Map<String, float[]> weights(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, float[]> w = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : shapes().entrySet()) {
            long n = 1;
            for (long d : e.getValue()) n *= d;
            float[] v = new float[(int) n];
            boolean norm = e.getKey().endsWith("norm.weight");
            for (int i = 0; i < v.length; i++) v[i] = norm ? 1f : (float) (gaussian(rnd) * 0.2);
            w.put(e.getKey(), v);
        }
        return w;
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** A complete, valid model directory. */
    static Path write(Path dir, long seed) {
        return write(dir, config(), weights(seed), DType.F32);
    }

    static Path write(Path dir, String config, Map<String, float[]> weights, DType dtype) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("config.json"), config);
            SafetensorsWriter w = new SafetensorsWriter();
            Map<String, long[]> shapes = shapes();
            for (Map.Entry<String, float[]> e : weights.entrySet()) {
                w.add(e.getKey(), dtype, shapes.get(e.getKey()), e.getValue());
            }
            w.write(dir.resolve("model.safetensors"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A safetensors image from a raw header string (any bytes) and a data section. */
    static byte[] rawSafetensors(byte[] header, int dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header);
        return b.array();
    }

    static byte[] rawSafetensors(String header, int dataBytes) {
        return rawSafetensors(header.getBytes(StandardCharsets.UTF_8), dataBytes);
    }
}
