package dev.drllm.bench;

import dev.drllm.model.DType;
import dev.drllm.model.SafetensorsWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a random-weight checkpoint with Llama-3.2-1B's shapes (hidden 2048, 16 layers, 32 heads,
 * 8 KV heads, head_dim 64, intermediate 8192, vocab 128256, tied embeddings, bf16; ~2.5 GB) for
 * the speed benchmarks. One shard per layer plus one for the embeddings keeps the heap at about
 * one shard (the 1 GiB embedding as floats) instead of the whole model.
 *
 * <p>Weights are uniform with the standard deviation of Llama's initialiser (0.02), norms are 1,
 * so activations stay finite through all layers; the numbers are meaningless, only their shapes
 * and bytes matter. Usage: {@code MakeCheckpoint DIR [layers]}. Skips the work if DIR is complete.
 */
public final class MakeCheckpoint {
    public static final int H = 2048, LAYERS = 16, HEADS = 32, KV_HEADS = 8, HEAD_DIM = 64, FFN = 8192, VOCAB = 128256;

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: MakeCheckpoint DIR [layers]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int layers = args.length > 1 ? Integer.parseInt(args[1]) : LAYERS;
        write(dir, layers);
    }

    public static void write(Path dir, int layers) throws IOException {
        Path index = dir.resolve("model.safetensors.index.json");
        if (Files.isRegularFile(index) && Files.isRegularFile(dir.resolve("config.json"))) {
            System.out.println("checkpoint exists: " + dir);
            return;
        }
        Files.createDirectories(dir);
        SplittableRandom rnd = new SplittableRandom(2026);
        float a = (float) (0.02 * Math.sqrt(3)); // uniform[-a, a] has std 0.02
        Map<String, String> weightMap = new LinkedHashMap<>();
        int shards = layers + 1;
        String embedShard = shardName(0, shards);
        SafetensorsWriter w0 = new SafetensorsWriter();
        add(w0, weightMap, embedShard, "model.embed_tokens.weight", new long[]{VOCAB, H}, uniform(rnd, (long) VOCAB * H, a));
        add(w0, weightMap, embedShard, "model.norm.weight", new long[]{H}, ones(H));
        w0.write(dir.resolve(embedShard));
        System.out.println("wrote " + embedShard);
        int q = HEADS * HEAD_DIM, kv = KV_HEADS * HEAD_DIM;
        for (int l = 0; l < layers; l++) {
            String shard = shardName(l + 1, shards);
            String p = "model.layers." + l + ".";
            SafetensorsWriter w = new SafetensorsWriter();
            add(w, weightMap, shard, p + "input_layernorm.weight", new long[]{H}, ones(H));
            add(w, weightMap, shard, p + "self_attn.q_proj.weight", new long[]{q, H}, uniform(rnd, (long) q * H, a));
            add(w, weightMap, shard, p + "self_attn.k_proj.weight", new long[]{kv, H}, uniform(rnd, (long) kv * H, a));
            add(w, weightMap, shard, p + "self_attn.v_proj.weight", new long[]{kv, H}, uniform(rnd, (long) kv * H, a));
            add(w, weightMap, shard, p + "self_attn.o_proj.weight", new long[]{H, q}, uniform(rnd, (long) H * q, a));
            add(w, weightMap, shard, p + "post_attention_layernorm.weight", new long[]{H}, ones(H));
            add(w, weightMap, shard, p + "mlp.gate_proj.weight", new long[]{FFN, H}, uniform(rnd, (long) FFN * H, a));
            add(w, weightMap, shard, p + "mlp.up_proj.weight", new long[]{FFN, H}, uniform(rnd, (long) FFN * H, a));
            add(w, weightMap, shard, p + "mlp.down_proj.weight", new long[]{H, FFN}, uniform(rnd, (long) H * FFN, a));
            w.write(dir.resolve(shard));
            System.out.println("wrote " + shard);
        }
        StringBuilder cfg = new StringBuilder();
        cfg.append("{\n  \"architectures\": [\"LlamaForCausalLM\"],\n  \"model_type\": \"llama\",\n")
                .append("  \"vocab_size\": ").append(VOCAB).append(",\n  \"hidden_size\": ").append(H)
                .append(",\n  \"intermediate_size\": ").append(FFN).append(",\n  \"num_hidden_layers\": ").append(layers)
                .append(",\n  \"num_attention_heads\": ").append(HEADS).append(",\n  \"num_key_value_heads\": ").append(KV_HEADS)
                .append(",\n  \"head_dim\": ").append(HEAD_DIM).append(",\n  \"max_position_embeddings\": 131072")
                .append(",\n  \"rms_norm_eps\": 1e-05,\n  \"rope_theta\": 500000.0,\n  \"tie_word_embeddings\": true")
                .append(",\n  \"attention_bias\": false,\n  \"mlp_bias\": false,\n  \"hidden_act\": \"silu\"")
                .append(",\n  \"bos_token_id\": 1,\n  \"eos_token_id\": 2,\n  \"torch_dtype\": \"bfloat16\"\n}\n");
        Files.writeString(dir.resolve("config.json"), cfg);
        StringBuilder idx = new StringBuilder("{\n  \"metadata\": {},\n  \"weight_map\": {\n");
        int i = 0;
        for (var e : weightMap.entrySet()) {
            idx.append("    \"").append(e.getKey()).append("\": \"").append(e.getValue()).append('"').append(++i < weightMap.size() ? ",\n" : "\n");
        }
        idx.append("  }\n}\n");
        Files.writeString(index, idx); // last: its presence marks the checkpoint complete
        System.out.println("checkpoint written: " + dir);
    }

    private static String shardName(int i, int n) {
        return String.format("model-%05d-of-%05d.safetensors", i + 1, n);
    }

    private static void add(SafetensorsWriter w, Map<String, String> map, String shard, String name, long[] shape, float[] values) {
        w.add(name, DType.BF16, shape, values);
        map.put(name, shard);
    }

    private static float[] uniform(SplittableRandom rnd, long n, float a) {
        float[] v = new float[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) v[i] = (float) (rnd.nextDouble() * 2 - 1) * a;
        return v;
    }

    private static float[] ones(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return v;
    }
}
