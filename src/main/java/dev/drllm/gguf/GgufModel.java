package dev.drllm.gguf;

import dev.drllm.model.Architecture;
import dev.drllm.model.DType;
import dev.drllm.model.LayerWeights;
import dev.drllm.model.Model;
import dev.drllm.model.ModelConfig;
import dev.drllm.model.ModelWeights;
import dev.drllm.model.RopeScaling;
import dev.drllm.model.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Binds a GGUF file as llama.cpp's converter writes it ({@code llama}, {@code qwen2},
 * {@code qwen3}) to drllm's model: hyper-parameters from {@code ARCH.*} metadata, tensors under
 * llama.cpp's names, weights of any supported type viewed in place.
 *
 * <p>llama.cpp's converter permutes the q and k rows of {@code llama} models per head so that
 * RoPE rotates neighbouring pairs; drllm keeps the rows as they are and rotates the same pairs
 * ({@link ModelConfig#ropeInterleaved()}), which computes the same attention scores. The llama3
 * frequency scaling comes as the {@code rope_freqs} tensor of per-frequency divisors.
 */
public final class GgufModel {
    private GgufModel() {}

    public static Model load(Path file) {
        GgufFile g = GgufFile.open(file);
        try {
            ModelConfig c = config(g);
            ModelWeights w = weights(g, c);
            return Model.of(file, c, g, w, stopTokens(g, c));
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
    }

    /** The architecture named by {@code general.architecture}. */
    static Architecture architecture(GgufFile g) {
        String a = g.string("general.architecture", null);
        if (a == null) throw new GgufException(g.path(), null, "metadata 'general.architecture' is missing");
        return switch (a) {
            case "llama" -> Architecture.LLAMA;
            case "qwen2" -> Architecture.QWEN2;
            case "qwen3" -> Architecture.QWEN3;
            default -> throw new GgufException(g.path(), null, "architecture '" + a + "' is not supported (llama, qwen2, qwen3)");
        };
    }

    public static ModelConfig config(GgufFile g) {
        Path p = g.path();
        Architecture arch = architecture(g);
        String k = g.string("general.architecture", null) + ".";
        int hidden = positive(g, k + "embedding_length", null);
        int layers = positive(g, k + "block_count", null);
        int ffn = positive(g, k + "feed_forward_length", null);
        int heads = positive(g, k + "attention.head_count", null);
        int kvHeads = positive(g, k + "attention.head_count_kv", heads);
        if (heads % kvHeads != 0) throw new GgufException(p, null, "head_count " + heads + " is not a multiple of head_count_kv " + kvHeads);
        if (!g.metadata().containsKey(k + "attention.key_length") && hidden % heads != 0) {
            throw new GgufException(p, null, "embedding_length " + hidden + " is not divisible by head_count " + heads);
        }
        int headDim = positive(g, k + "attention.key_length", hidden / Math.max(1, heads));
        int valueDim = positive(g, k + "attention.value_length", headDim);
        if (valueDim != headDim) throw new GgufException(p, null, "attention.value_length " + valueDim + " differs from key_length " + headDim + " (not supported)");
        int ropeDim = positive(g, k + "rope.dimension_count", headDim);
        if (ropeDim != headDim) throw new GgufException(p, null, "rope.dimension_count " + ropeDim + " differs from the head size " + headDim + " (partial RoPE is not supported)");
        if (headDim % 2 != 0) throw new GgufException(p, null, "head size " + headDim + " must be even for RoPE");
        if ((long) heads * headDim > Integer.MAX_VALUE / 4) throw new GgufException(p, null, "head_count × head size is too large");
        int ctx = positive(g, k + "context_length", 2048);
        double eps = g.real(k + "attention.layer_norm_rms_epsilon", null) == null
                ? missing(g, k + "attention.layer_norm_rms_epsilon") : g.real(k + "attention.layer_norm_rms_epsilon", null);
        if (!(eps > 0) || !Double.isFinite(eps)) throw new GgufException(p, null, "layer_norm_rms_epsilon must be a positive number, found " + eps);
        double theta = g.real(k + "rope.freq_base", 10000.0);
        if (!(theta > 0) || Double.isInfinite(theta)) throw new GgufException(p, null, "rope.freq_base must be positive, found " + theta);
        RopeScaling rope = RopeScaling.plain(theta);
        String scaling = g.string(k + "rope.scaling.type", "none");
        double factor = g.real(k + "rope.scaling.factor", g.real(k + "rope.scale_linear", 1.0));
        switch (scaling) {
            case "none" -> {
                if (factor != 1.0) rope = linear(g, theta, factor);
            }
            case "linear" -> rope = linear(g, theta, factor);
            default -> throw new GgufException(p, null, "rope.scaling.type '" + scaling + "' is not supported (none, linear; llama3 comes as rope_freqs)");
        }
        Tensor embed = g.tensor("token_embd.weight");
        if (embed.rank() != 2 || embed.shape()[1] != hidden) {
            throw new GgufException(p, "token_embd.weight", "shape " + java.util.Arrays.toString(embed.shape()) + " is not [vocab, " + hidden + "]");
        }
        int vocab = Math.toIntExact(embed.shape()[0]);
        if (vocab <= 0) throw new GgufException(p, "token_embd.weight", "empty vocabulary");
        float[] factors = null;
        if (g.has("rope_freqs.weight")) {
            Tensor f = g.tensor("rope_freqs.weight").requireShape(headDim / 2);
            if (!f.dtype().isFloatWeight()) throw new GgufException(p, f.name(), "rope_freqs must be F32, F16 or BF16, found " + g.typeNames().get(f.name()));
            factors = f.toFloatArray();
            for (float x : factors) {
                if (!(x > 0) || !Float.isFinite(x)) throw new GgufException(p, f.name(), "frequency factors must be positive and finite, found " + x);
            }
        }
        boolean bias = arch != Architecture.QWEN2 && g.has("blk.0.attn_q.bias");
        boolean mlpBias = g.has("blk.0.ffn_gate.bias");
        List<Integer> eos = new ArrayList<>();
        Long e = g.integer("tokenizer.ggml.eos_token_id", null);
        if (e != null && e >= 0 && e < vocab) eos.add(e.intValue());
        Long bos = g.integer("tokenizer.ggml.bos_token_id", null);
        return new ModelConfig(arch, vocab, hidden, ffn, layers, heads, kvHeads, headDim, ctx, (float) eps, rope,
                !g.has("output.weight"), bias, mlpBias, eos, bos != null && bos >= 0 && bos < vocab ? bos.intValue() : null,
                DType.F32, arch == Architecture.LLAMA, factors);
    }

    private static RopeScaling linear(GgufFile g, double theta, double factor) {
        if (!(factor > 0) || Double.isInfinite(factor)) throw new GgufException(g.path(), null, "rope scaling factor must be positive, found " + factor);
        return new RopeScaling("linear", theta, factor, 1, 1, 0);
    }

    private static double missing(GgufFile g, String key) {
        throw new GgufException(g.path(), null, "metadata '" + key + "' is missing");
    }

    private static int positive(GgufFile g, String key, Integer dflt) {
        Long v = g.integer(key, null);
        if (v == null) {
            if (dflt == null) throw new GgufException(g.path(), null, "metadata '" + key + "' is missing");
            return dflt;
        }
        if (v <= 0 || v > Integer.MAX_VALUE) throw new GgufException(g.path(), null, "metadata '" + key + "' must be a positive 32-bit integer, found " + v);
        return v.intValue();
    }

    public static ModelWeights weights(GgufFile g, ModelConfig c) {
        long h = c.hiddenSize(), q = c.qDim(), kv = c.kvDim(), f = c.intermediateSize(), v = c.vocabSize();
        Tensor embed = matrix(g, "token_embd.weight", v, h);
        List<LayerWeights> layers = new ArrayList<>();
        boolean qkvB = c.qkvBias(), oB = c.oBias(), mB = c.mlpBias();
        for (int l = 0; l < c.numLayers(); l++) {
            String p = "blk." + l + ".";
            layers.add(new LayerWeights(l,
                    vector(g, p + "attn_norm.weight", h),
                    matrix(g, p + "attn_q.weight", q, h),
                    matrix(g, p + "attn_k.weight", kv, h),
                    matrix(g, p + "attn_v.weight", kv, h),
                    matrix(g, p + "attn_output.weight", h, q),
                    qkvB ? vector(g, p + "attn_q.bias", q) : null,
                    qkvB ? vector(g, p + "attn_k.bias", kv) : null,
                    qkvB ? vector(g, p + "attn_v.bias", kv) : null,
                    oB ? vector(g, p + "attn_output.bias", h) : null,
                    c.qkNorm() ? vector(g, p + "attn_q_norm.weight", c.headDim()) : null,
                    c.qkNorm() ? vector(g, p + "attn_k_norm.weight", c.headDim()) : null,
                    vector(g, p + "ffn_norm.weight", h),
                    matrix(g, p + "ffn_gate.weight", f, h),
                    matrix(g, p + "ffn_up.weight", f, h),
                    matrix(g, p + "ffn_down.weight", h, f),
                    mB ? vector(g, p + "ffn_gate.bias", f) : null,
                    mB ? vector(g, p + "ffn_up.bias", f) : null,
                    mB ? vector(g, p + "ffn_down.bias", h) : null));
        }
        Tensor norm = vector(g, "output_norm.weight", h);
        Tensor head = c.tieEmbeddings() ? embed : matrix(g, "output.weight", v, h);
        return new ModelWeights(embed, Collections.unmodifiableList(layers), norm, head);
    }

    private static Tensor matrix(GgufFile g, String name, long rows, long cols) {
        Tensor t = g.tensor(name).requireShape(rows, cols);
        if (!t.dtype().isMatrixWeight()) throw new GgufException(g.path(), name, "weight type " + g.typeNames().get(name) + " cannot be a matrix");
        return t;
    }

    private static Tensor vector(GgufFile g, String name, long n) {
        Tensor t = g.tensor(name).requireShape(n);
        if (!t.dtype().isFloatWeight()) {
            throw new GgufException(g.path(), name, "norms and biases must be F32, F16 or BF16, found " + g.typeNames().get(name));
        }
        return t;
    }

    /** eos plus llama.cpp's other end-of-generation ids (eot, eom) when the file names them. */
    static Set<Integer> stopTokens(GgufFile g, ModelConfig c) {
        Set<Integer> out = new LinkedHashSet<>(c.eosTokenIds());
        for (String key : new String[]{"tokenizer.ggml.eot_token_id", "tokenizer.ggml.eom_token_id"}) {
            Long id = g.integer(key, null);
            if (id != null && id >= 0 && id < c.vocabSize()) out.add(id.intValue());
        }
        return out;
    }
}
