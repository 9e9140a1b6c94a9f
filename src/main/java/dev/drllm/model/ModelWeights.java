package dev.drllm.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** All decoder tensors, shape-checked against the config when the model is loaded. */
public record ModelWeights(Tensor embedTokens, List<LayerWeights> layers, Tensor finalNorm, Tensor lmHead) {

    public static ModelWeights bind(ModelConfig c, Checkpoint ck) {
        Set<String> used = new HashSet<>();
        ModelWeights mw = bind(c, ck, used);
        requireAccounted(c, ck, used);
        return mw;
    }

    private static ModelWeights bind(ModelConfig c, Checkpoint ck, Set<String> used) {
        long h = c.hiddenSize(), q = c.qDim(), kv = c.kvDim(), f = c.intermediateSize(), v = c.vocabSize();
        Tensor embed = w(ck, used, "model.embed_tokens.weight", v, h);
        // not presized: num_hidden_layers comes from an untrusted config and a huge value must end in
        // a missing-tensor error, not an OutOfMemoryError
        List<LayerWeights> layers = new ArrayList<>();
        for (int l = 0; l < c.numLayers(); l++) {
            String p = "model.layers." + l + ".";
            boolean qkvB = c.qkvBias(), oB = c.oBias(), mB = c.mlpBias();
            layers.add(new LayerWeights(l,
                    w(ck, used, p + "input_layernorm.weight", h),
                    w(ck, used, p + "self_attn.q_proj.weight", q, h),
                    w(ck, used, p + "self_attn.k_proj.weight", kv, h),
                    w(ck, used, p + "self_attn.v_proj.weight", kv, h),
                    w(ck, used, p + "self_attn.o_proj.weight", h, q),
                    qkvB ? w(ck, used, p + "self_attn.q_proj.bias", q) : null,
                    qkvB ? w(ck, used, p + "self_attn.k_proj.bias", kv) : null,
                    qkvB ? w(ck, used, p + "self_attn.v_proj.bias", kv) : null,
                    oB ? w(ck, used, p + "self_attn.o_proj.bias", h) : null,
                    c.qkNorm() ? w(ck, used, p + "self_attn.q_norm.weight", c.headDim()) : null,
                    c.qkNorm() ? w(ck, used, p + "self_attn.k_norm.weight", c.headDim()) : null,
                    w(ck, used, p + "post_attention_layernorm.weight", h),
                    w(ck, used, p + "mlp.gate_proj.weight", f, h),
                    w(ck, used, p + "mlp.up_proj.weight", f, h),
                    w(ck, used, p + "mlp.down_proj.weight", h, f),
                    mB ? w(ck, used, p + "mlp.gate_proj.bias", f) : null,
                    mB ? w(ck, used, p + "mlp.up_proj.bias", f) : null,
                    mB ? w(ck, used, p + "mlp.down_proj.bias", h) : null));
        }
        Tensor norm = w(ck, used, "model.norm.weight", h);
        Tensor head;
        if (c.tieEmbeddings()) {
            head = embed;
        } else {
            head = w(ck, used, "lm_head.weight", v, h);
        }
        return new ModelWeights(embed, Collections.unmodifiableList(layers), norm, head);
    }

    private static Tensor w(Checkpoint ck, Set<String> used, String name, long... shape) {
        used.add(name);
        return ck.get(name).requireFloat().requireShape(shape);
    }

    /**
     * Every tensor of the decoder layers must be one the config asked for: a config.json saying 15
     * layers over a 16-layer checkpoint, or no attention bias over a checkpoint with q/k/v biases,
     * would otherwise run a different model without a word. Outside the layers, tensors drllm has
     * no use for are tolerated: the reference's embedded routers ({@code model.routers.*}, read by
     * {@code Routers}), an {@code lm_head.weight} saved beside tied embeddings, RoPE buffers.
     */
    private static void requireAccounted(ModelConfig c, Checkpoint ck, Set<String> used) {
        List<String> unused = new ArrayList<>();
        int maxLayer = -1;
        for (String name : ck.tensors().keySet()) {
            if (used.contains(name) || !name.startsWith("model.layers.") || name.endsWith(".rotary_emb.inv_freq")) continue;
            unused.add(name);
            Matcher m = LAYER.matcher(name);
            if (m.lookingAt()) maxLayer = Math.max(maxLayer, Integer.parseInt(m.group(1)));
        }
        if (unused.isEmpty()) return;
        Collections.sort(unused);
        String listed = String.join(", ", unused.subList(0, Math.min(4, unused.size()))) + (unused.size() > 4 ? ", … (" + unused.size() + " in all)" : "");
        Path config = ck.dir().resolve("config.json");
        if (maxLayer >= c.numLayers()) {
            throw new CheckpointException(config, null, "num_hidden_layers is " + c.numLayers() + " but the checkpoint has layers up to "
                    + maxLayer + " (" + listed + "): the config does not match its weights");
        }
        throw new CheckpointException(config, null, "the checkpoint has layer tensors this config does not use (" + listed
                + "): check attention_bias / mlp_bias / the architecture in config.json");
    }

    private static final Pattern LAYER = Pattern.compile("model\\.layers\\.(\\d{1,9})\\.");
}
