package dev.drllm.gguf;

import dev.drllm.model.Architecture;
import dev.drllm.model.DType;
import dev.drllm.model.LayerWeights;
import dev.drllm.model.Model;
import dev.drllm.model.ModelConfig;
import dev.drllm.model.RopeScaling;
import dev.drllm.model.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A loaded model (safetensors or GGUF) written as a GGUF file llama.cpp runs: llama.cpp's tensor
 * names and metadata, q/k rows permuted for {@code llama}, llama3 RoPE scaling as the
 * {@code rope_freqs} tensor, norms and biases in F32, matrices in the scheme's types.
 */
public final class GgufExport {
    private GgufExport() {}

    /** Weight schemes, named as llama-quantize names them; {@link #typeFor} follows its choices for these types. */
    public enum Scheme {
        F32(0), F16(1), BF16(32), Q8_0(7), Q4_0(2), Q4_K_M(15);

        final int fileType;

        Scheme(int fileType) { this.fileType = fileType; }

        public static Scheme parse(String s) {
            String u = s.strip().toUpperCase(Locale.ROOT);
            for (Scheme x : values()) if (x.name().equals(u)) return x;
            throw new IllegalArgumentException("unknown type '" + s + "' (expected f32, f16, bf16, q8_0, q4_0 or q4_k_m)");
        }

        /**
         * The type of one matrix. Q4_0 and Q4_K_M keep the output matrix (or the tied embedding) at
         * Q6_K; Q4_K_M also gives Q6_K to attn_v and ffn_down in the first and last eighth of the
         * layers and every third one between. K-quants need rows of 256: shorter rows fall back to
         * Q5_0 (for Q4_K) and Q8_0 (for Q6_K), as llama-quantize does.
         */
        public DType typeFor(String role, int layer, int layers, long rowLength, boolean outputMatrix) {
            DType t = switch (this) {
                case F32 -> DType.F32;
                case F16 -> DType.F16;
                case BF16 -> DType.BF16;
                case Q8_0 -> DType.Q8_0;
                case Q4_0 -> outputMatrix ? DType.Q6_K : DType.Q4_0;
                case Q4_K_M -> {
                    boolean moreBits = layer >= 0 && (layer < layers / 8 || layer >= 7 * layers / 8 || (layer - layers / 8) % 3 == 2);
                    yield outputMatrix || ((role.equals("attn_v") || role.equals("ffn_down")) && moreBits) ? DType.Q6_K : DType.Q4_K;
                }
            };
            if (rowLength % t.blockSize() != 0) {
                t = switch (t) {
                    case Q4_K -> DType.Q5_0;
                    case Q6_K -> DType.Q8_0;
                    default -> t;
                };
            }
            if (rowLength % t.blockSize() != 0) t = DType.F16;
            return t;
        }
    }

    /**
     * Writes {@code m} to {@code out}. {@code tokenizerDir}: a directory with tokenizer.json (and
     * tokenizer_config.json) to embed; null writes a placeholder vocabulary.
     */
    public static void write(Model m, Path tokenizerDir, Scheme scheme, Path out, Consumer<String> progress) throws IOException {
        ModelConfig c = m.config();
        if (c.ropeInterleaved()) {
            throw new IllegalArgumentException(m.dir() + ": already in llama.cpp's q/k row order (a GGUF llama model); "
                    + "re-exporting it is not supported, quantize the original checkpoint");
        }
        String arch = switch (c.architecture()) {
            case LLAMA -> "llama";
            case QWEN2 -> "qwen2";
            case QWEN3 -> "qwen3";
        };
        if (c.architecture() == Architecture.QWEN2 && c.attentionBias()) throw new IllegalArgumentException("qwen2 with an o_proj bias has no GGUF layout");
        GgufWriter w = new GgufWriter();
        w.put("general.architecture", arch);
        w.put("general.name", m.name());
        w.put("general.alignment", GgufWriter.ALIGN);
        w.put("general.file_type", scheme.fileType);
        if (scheme == Scheme.Q8_0 || scheme == Scheme.Q4_0 || scheme == Scheme.Q4_K_M) w.put("general.quantization_version", 2);
        String k = arch + ".";
        w.put(k + "context_length", c.maxPositions());
        w.put(k + "embedding_length", c.hiddenSize());
        w.put(k + "block_count", c.numLayers());
        w.put(k + "feed_forward_length", c.intermediateSize());
        w.put(k + "attention.head_count", c.numHeads());
        w.put(k + "attention.head_count_kv", c.numKvHeads());
        w.put(k + "attention.key_length", c.headDim());
        w.put(k + "attention.value_length", c.headDim());
        w.put(k + "rope.dimension_count", c.headDim());
        w.put(k + "rope.freq_base", (float) c.rope().theta());
        w.put(k + "attention.layer_norm_rms_epsilon", c.rmsNormEps());
        w.put(k + "vocab_size", c.vocabSize());
        RopeScaling rope = c.rope();
        float[] factors = null;
        switch (rope.type()) {
            case "default" -> { }
            case "linear" -> {
                w.put(k + "rope.scaling.type", "linear");
                w.put(k + "rope.scaling.factor", (float) rope.factor());
            }
            case "llama3" -> {
                // llama.cpp divides θ_i by rope_freqs[i]: the ratio of plain to scaled frequencies
                float[] plain = RopeScaling.plain(rope.theta()).inverseFrequencies(c.headDim());
                float[] scaled = rope.inverseFrequencies(c.headDim());
                factors = new float[plain.length];
                for (int i = 0; i < plain.length; i++) factors[i] = plain[i] / scaled[i];
            }
            default -> throw new IllegalArgumentException("rope type " + rope.type() + " has no GGUF form here");
        }
        if (c.ropeFreqFactors() != null) factors = c.ropeFreqFactors();
        if (tokenizerDir != null && Files.isRegularFile(tokenizerDir.resolve("tokenizer.json"))) {
            w.tokenizerFrom(tokenizerDir.resolve("tokenizer.json"), tokenizerDir.resolve("tokenizer_config.json"), c.vocabSize());
        } else {
            w.placeholderTokenizer(c.vocabSize());
        }
        if (!m.stopTokens().isEmpty() && !(tokenizerDir != null && Files.isRegularFile(tokenizerDir.resolve("tokenizer.json")))) {
            w.put("tokenizer.ggml.eos_token_id", m.stopTokens().iterator().next());
        }
        int L = c.numLayers();
        boolean llama = c.architecture() == Architecture.LLAMA;
        var mw = m.weights();
        boolean tied = c.tieEmbeddings();
        Tensor embed = mw.embedTokens();
        w.tensor("token_embd.weight", embed, scheme.typeFor("token_embd", -1, L, c.hiddenSize(), tied));
        if (factors != null) w.tensor("rope_freqs.weight", vector("rope_freqs.weight", factors), DType.F32);
        for (LayerWeights lw : mw.layers()) {
            int l = lw.index();
            String p = "blk." + l + ".";
            w.tensor(p + "attn_norm.weight", lw.inputNorm(), DType.F32);
            matrix(w, scheme, p, "attn_q", lw.wq(), l, L, llama ? c.numHeads() : 0, c.headDim());
            matrix(w, scheme, p, "attn_k", lw.wk(), l, L, llama ? c.numKvHeads() : 0, c.headDim());
            matrix(w, scheme, p, "attn_v", lw.wv(), l, L, 0, 0);
            matrix(w, scheme, p, "attn_output", lw.wo(), l, L, 0, 0);
            if (lw.bq() != null) {
                w.tensor(p + "attn_q.bias", lw.bq(), DType.F32, llama ? c.numHeads() : 0, c.headDim());
                w.tensor(p + "attn_k.bias", lw.bk(), DType.F32, llama ? c.numKvHeads() : 0, c.headDim());
                w.tensor(p + "attn_v.bias", lw.bv(), DType.F32);
            }
            if (lw.bo() != null) w.tensor(p + "attn_output.bias", lw.bo(), DType.F32);
            if (lw.qNorm() != null) {
                w.tensor(p + "attn_q_norm.weight", lw.qNorm(), DType.F32);
                w.tensor(p + "attn_k_norm.weight", lw.kNorm(), DType.F32);
            }
            w.tensor(p + "ffn_norm.weight", lw.postAttentionNorm(), DType.F32);
            matrix(w, scheme, p, "ffn_gate", lw.wGate(), l, L, 0, 0);
            matrix(w, scheme, p, "ffn_up", lw.wUp(), l, L, 0, 0);
            matrix(w, scheme, p, "ffn_down", lw.wDown(), l, L, 0, 0);
            if (lw.bGate() != null) {
                w.tensor(p + "ffn_gate.bias", lw.bGate(), DType.F32);
                w.tensor(p + "ffn_up.bias", lw.bUp(), DType.F32);
                w.tensor(p + "ffn_down.bias", lw.bDown(), DType.F32);
            }
        }
        w.tensor("output_norm.weight", mw.finalNorm(), DType.F32);
        if (!tied) w.tensor("output.weight", mw.lmHead(), scheme.typeFor("output", -1, L, c.hiddenSize(), true));
        w.write(out, progress);
    }

    private static void matrix(GgufWriter w, Scheme s, String prefix, String role, Tensor t, int layer, int layers, int permuteHeads, int headDim) {
        w.tensor(prefix + role + ".weight", t, s.typeFor(role, layer, layers, t.shape()[1], false), permuteHeads, headDim);
    }

    private static Tensor vector(String name, float[] v) {
        java.lang.foreign.MemorySegment seg = java.lang.foreign.Arena.ofAuto().allocate(4L * v.length, 4);
        java.lang.foreign.MemorySegment.copy(v, 0, seg, java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 0, v.length);
        return new Tensor(Path.of("<computed>"), name, DType.F32, new long[]{v.length}, seg);
    }
}
