package dev.drllm.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** All decoder tensors, shape-checked against the config when the model is loaded. */
public record ModelWeights(Tensor embedTokens, List<LayerWeights> layers, Tensor finalNorm, Tensor lmHead) {

    public static ModelWeights bind(ModelConfig c, Checkpoint ck) {
        long h = c.hiddenSize(), q = c.qDim(), kv = c.kvDim(), f = c.intermediateSize(), v = c.vocabSize();
        Tensor embed = w(ck, "model.embed_tokens.weight", v, h);
        // not presized: num_hidden_layers comes from an untrusted config and a huge value must end in
        // a missing-tensor error, not an OutOfMemoryError
        List<LayerWeights> layers = new ArrayList<>();
        for (int l = 0; l < c.numLayers(); l++) {
            String p = "model.layers." + l + ".";
            boolean qkvB = c.qkvBias(), oB = c.oBias(), mB = c.mlpBias();
            layers.add(new LayerWeights(l,
                    w(ck, p + "input_layernorm.weight", h),
                    w(ck, p + "self_attn.q_proj.weight", q, h),
                    w(ck, p + "self_attn.k_proj.weight", kv, h),
                    w(ck, p + "self_attn.v_proj.weight", kv, h),
                    w(ck, p + "self_attn.o_proj.weight", h, q),
                    qkvB ? w(ck, p + "self_attn.q_proj.bias", q) : null,
                    qkvB ? w(ck, p + "self_attn.k_proj.bias", kv) : null,
                    qkvB ? w(ck, p + "self_attn.v_proj.bias", kv) : null,
                    oB ? w(ck, p + "self_attn.o_proj.bias", h) : null,
                    c.qkNorm() ? w(ck, p + "self_attn.q_norm.weight", c.headDim()) : null,
                    c.qkNorm() ? w(ck, p + "self_attn.k_norm.weight", c.headDim()) : null,
                    w(ck, p + "post_attention_layernorm.weight", h),
                    w(ck, p + "mlp.gate_proj.weight", f, h),
                    w(ck, p + "mlp.up_proj.weight", f, h),
                    w(ck, p + "mlp.down_proj.weight", h, f),
                    mB ? w(ck, p + "mlp.gate_proj.bias", f) : null,
                    mB ? w(ck, p + "mlp.up_proj.bias", f) : null,
                    mB ? w(ck, p + "mlp.down_proj.bias", h) : null));
        }
        Tensor norm = w(ck, "model.norm.weight", h);
        Tensor head;
        if (c.tieEmbeddings()) {
            head = embed;
        } else {
            head = w(ck, "lm_head.weight", v, h);
        }
        return new ModelWeights(embed, Collections.unmodifiableList(layers), norm, head);
    }

    private static Tensor w(Checkpoint ck, String name, long... shape) {
        return ck.get(name).requireFloat().requireShape(shape);
    }
}
