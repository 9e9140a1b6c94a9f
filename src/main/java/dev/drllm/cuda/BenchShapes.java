package dev.drllm.cuda;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Model shapes for {@code drllm bench}: the published Llama 3.2 1B / 3B configurations (bf16, tied
 * embeddings, llama3 RoPE scaling) and the embedded tiny model's, as HF config.json contents.
 */
public final class BenchShapes {
    public record Shape(String name, int hidden, int layers, int heads, int kvHeads, int headDim, int intermediate, int vocab,
                        int maxPositions, double ropeTheta, boolean llama3Rope) {
        public long parameters() {
            long perLayer = (long) hidden * (heads + 2L * kvHeads) * headDim + (long) heads * headDim * hidden
                    + 3L * hidden * intermediate + 2L * hidden;
            return perLayer * layers + (long) vocab * hidden + hidden;
        }

        public Map<String, Object> config() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("architectures", new String[]{"LlamaForCausalLM"});
            m.put("model_type", "llama");
            m.put("vocab_size", vocab);
            m.put("hidden_size", hidden);
            m.put("intermediate_size", intermediate);
            m.put("num_hidden_layers", layers);
            m.put("num_attention_heads", heads);
            m.put("num_key_value_heads", kvHeads);
            m.put("head_dim", headDim);
            m.put("max_position_embeddings", maxPositions);
            m.put("rms_norm_eps", 1e-5);
            m.put("rope_theta", ropeTheta);
            if (llama3Rope) {
                m.put("rope_scaling", Map.of("rope_type", "llama3", "factor", 32.0, "low_freq_factor", 1.0,
                        "high_freq_factor", 4.0, "original_max_position_embeddings", 8192));
            }
            m.put("tie_word_embeddings", true);
            m.put("attention_bias", false);
            m.put("mlp_bias", false);
            m.put("hidden_act", "silu");
            m.put("bos_token_id", 0);
            m.put("eos_token_id", 1);
            m.put("torch_dtype", "bfloat16");
            return m;
        }
    }

    public static final Map<String, Shape> SHAPES = Map.of(
            "llama-3.2-1b", new Shape("llama-3.2-1b", 2048, 16, 32, 8, 64, 8192, 128256, 131072, 500000, true),
            "llama-3.2-3b", new Shape("llama-3.2-3b", 3072, 28, 24, 8, 128, 8192, 128256, 131072, 500000, true),
            "tiny", new Shape("tiny", 192, 16, 6, 2, 32, 512, 512, 256, 10000, false));

    private BenchShapes() {}

    public static Shape get(String name) {
        Shape s = SHAPES.get(name);
        if (s == null) throw new IllegalArgumentException("unknown shape '" + name + "' (expected " + String.join(", ", SHAPES.keySet()) + ")");
        return s;
    }
}
