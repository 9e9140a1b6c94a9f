package dev.drllm.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.util.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The parts of a Hugging Face {@code config.json} that define the decoder's computation. */
public record ModelConfig(
        Architecture architecture,
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        int maxPositions,
        float rmsNormEps,
        RopeScaling rope,
        boolean tieEmbeddings,
        boolean attentionBias,
        boolean mlpBias,
        List<Integer> eosTokenIds,
        Integer bosTokenId,
        DType parameterDtype,
        boolean ropeInterleaved,
        float[] ropeFreqFactors) {

    /**
     * A config from a Hugging Face {@code config.json}'s values (rotate-half RoPE, no frequency
     * factors); the GGUF loader passes the last two itself.
     */
    public ModelConfig(Architecture architecture, int vocabSize, int hiddenSize, int intermediateSize, int numLayers, int numHeads,
                       int numKvHeads, int headDim, int maxPositions, float rmsNormEps, RopeScaling rope, boolean tieEmbeddings,
                       boolean attentionBias, boolean mlpBias, List<Integer> eosTokenIds, Integer bosTokenId, DType parameterDtype) {
        this(architecture, vocabSize, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads, headDim, maxPositions, rmsNormEps,
                rope, tieEmbeddings, attentionBias, mlpBias, eosTokenIds, bosTokenId, parameterDtype, false, null);
    }

    public int qDim() { return numHeads * headDim; }

    public int kvDim() { return numKvHeads * headDim; }

    /** Whether q, k and v carry a bias (always for Qwen2, by {@code attention_bias} otherwise). */
    public boolean qkvBias() { return architecture == Architecture.QWEN2 || attentionBias; }

    /** Whether o_proj carries a bias (Llama / Qwen3 with {@code attention_bias}). */
    public boolean oBias() { return architecture != Architecture.QWEN2 && attentionBias; }

    public boolean qkNorm() { return architecture == Architecture.QWEN3; }

    public static ModelConfig load(Path file) {
        JsonNode root;
        try {
            // bytes, not a String: Jackson then reports invalid UTF-8 with its offset instead of a bare MalformedInputException
            root = Json.MAPPER.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file, null, "file not found");
        } catch (IOException e) {
            throw new CheckpointException(file, null, "not valid JSON: " + Json.problem(e), e);
        }
        return parse(file, root);
    }

    public static ModelConfig parse(Path file, JsonNode root) {
        if (root == null || !root.isObject()) throw new CheckpointException(file, null, "not a JSON object");
        String modelType = text(root, "model_type");
        String arch = root.has("architectures") && root.get("architectures").isArray() && !root.get("architectures").isEmpty()
                ? root.get("architectures").get(0).asText() : null;
        Architecture architecture = Architecture.fromHf(modelType, arch);
        if (architecture == null) {
            throw new CheckpointException(file, null, "unsupported architecture (model_type '" + modelType + "', architectures "
                    + root.get("architectures") + "); supported: llama, qwen2, qwen3");
        }
        int hidden = positive(file, root, "hidden_size");
        int heads = positive(file, root, "num_attention_heads");
        int kvHeads = root.has("num_key_value_heads") && !root.get("num_key_value_heads").isNull()
                ? positive(file, root, "num_key_value_heads") : heads;
        if (heads % kvHeads != 0) {
            throw new CheckpointException(file, null, "num_attention_heads " + heads + " is not a multiple of num_key_value_heads " + kvHeads);
        }
        int headDim;
        if (root.has("head_dim") && !root.get("head_dim").isNull()) {
            headDim = positive(file, root, "head_dim");
        } else {
            if (hidden % heads != 0) throw new CheckpointException(file, null, "hidden_size " + hidden + " is not divisible by num_attention_heads " + heads);
            headDim = hidden / heads;
        }
        if (headDim % 2 != 0) throw new CheckpointException(file, null, "head_dim " + headDim + " must be even for RoPE");
        // q and kv widths are int products; an overflow would wrap to a small width that a crafted
        // checkpoint could then match, and the kernels would index out of bounds
        if ((long) heads * headDim > Integer.MAX_VALUE / 4) {
            throw new CheckpointException(file, null, "num_attention_heads " + heads + " × head_dim " + headDim + " is too large");
        }
        if (root.path("use_sliding_window").asBoolean(false)) {
            throw new CheckpointException(file, null, "sliding-window attention (use_sliding_window=true) is not supported");
        }
        String act = root.path("hidden_act").asText("silu");
        if (!act.equals("silu")) throw new CheckpointException(file, null, "unsupported hidden_act '" + act + "' (only silu)");
        int maxPos = root.has("max_position_embeddings") ? positive(file, root, "max_position_embeddings") : 2048;
        float eps = (float) root.path("rms_norm_eps").asDouble(1e-6);
        if (!(eps > 0) || !Float.isFinite(eps)) throw new CheckpointException(file, null, "rms_norm_eps must be a positive number");
        RopeScaling rope = parseRope(file, root);
        // transformers defaults tie_word_embeddings to false for all three families
        boolean tie = root.path("tie_word_embeddings").asBoolean(false);
        return new ModelConfig(architecture,
                positive(file, root, "vocab_size"), hidden, positive(file, root, "intermediate_size"),
                positive(file, root, "num_hidden_layers"), heads, kvHeads, headDim, maxPos, eps, rope, tie,
                root.path("attention_bias").asBoolean(false), root.path("mlp_bias").asBoolean(false),
                ids(root.get("eos_token_id")), root.has("bos_token_id") && root.get("bos_token_id").isIntegralNumber()
                        ? root.get("bos_token_id").asInt() : null, parameterDtype(root));
    }

    /** Reads {@code rope_parameters} (transformers ≥ 5) or the older {@code rope_theta} + {@code rope_scaling}. */
    private static RopeScaling parseRope(Path file, JsonNode root) {
        JsonNode params = root.get("rope_parameters");
        if (params == null || params.isNull()) params = root.get("rope_scaling");
        double theta = root.path("rope_theta").asDouble(10000.0);
        if (params == null || params.isNull()) return RopeScaling.plain(checkTheta(file, theta));
        if (!params.isObject()) throw new CheckpointException(file, null, "rope_scaling / rope_parameters is not an object");
        if (params.has("rope_theta")) theta = params.get("rope_theta").asDouble(theta);
        String type = params.has("rope_type") ? params.get("rope_type").asText() : params.path("type").asText("default");
        double factor = params.path("factor").asDouble(1.0);
        return switch (type) {
            case "default" -> RopeScaling.plain(checkTheta(file, theta));
            case "linear" -> {
                if (!(factor > 0)) throw new CheckpointException(file, null, "rope factor must be positive");
                yield new RopeScaling("linear", checkTheta(file, theta), factor, 1, 1, 0);
            }
            case "llama3" -> {
                double low = params.path("low_freq_factor").asDouble(Double.NaN);
                double high = params.path("high_freq_factor").asDouble(Double.NaN);
                int orig = params.path("original_max_position_embeddings").asInt(0);
                if (!(factor > 0) || !(low > 0) || !(high > low) || orig <= 0) {
                    throw new CheckpointException(file, null, "llama3 rope_scaling needs factor > 0, 0 < low_freq_factor < high_freq_factor"
                            + " and original_max_position_embeddings > 0; found " + params);
                }
                yield new RopeScaling("llama3", checkTheta(file, theta), factor, low, high, orig);
            }
            default -> throw new CheckpointException(file, null, "unsupported rope type '" + type + "' (supported: default, linear, llama3)");
        };
    }

    private static double checkTheta(Path file, double theta) {
        if (!(theta > 0) || Double.isInfinite(theta)) throw new CheckpointException(file, null, "rope_theta must be positive, found " + theta);
        return theta;
    }

    /** {@code torch_dtype} (transformers < 5) or {@code dtype}; F32 when absent. */
    private static DType parameterDtype(JsonNode root) {
        String d = root.path("dtype").asText(root.path("torch_dtype").asText("float32"));
        return switch (d) {
            case "bfloat16" -> DType.BF16;
            case "float16" -> DType.F16;
            default -> DType.F32;
        };
    }

    /**
     * RoPE inverse frequencies as transformers ends up using them: computed in f32, then the
     * non-persistent {@code inv_freq} buffer is cast with the rest of the model to the checkpoint's
     * dtype when it is loaded in that dtype, so for a bf16 checkpoint the frequencies carry bf16
     * rounding (verified on the hf-reference fixtures: position-dependent errors of ~1e-3 vanish).
     */
    public float[] ropeInverseFrequencies() {
        float[] inv = rope.inverseFrequencies(headDim);
        if (ropeFreqFactors != null) {
            // llama.cpp's rope_freqs tensor (llama3 scaling as a GGUF stores it): θ_i / factor_i
            for (int i = 0; i < inv.length; i++) inv[i] /= ropeFreqFactors[i];
        }
        for (int i = 0; i < inv.length; i++) {
            inv[i] = switch (parameterDtype) {
                case BF16 -> Float.intBitsToFloat((SafetensorsWriter.toBf16(inv[i]) & 0xFFFF) << 16);
                case F16 -> Float.float16ToFloat(Float.floatToFloat16(inv[i]));
                default -> inv[i];
            };
        }
        return inv;
    }

    static List<Integer> ids(JsonNode n) {
        List<Integer> out = new ArrayList<>();
        if (n == null || n.isNull()) return out;
        if (n.isArray()) n.forEach(x -> { if (x.isIntegralNumber()) out.add(x.asInt()); });
        else if (n.isIntegralNumber()) out.add(n.asInt());
        return out;
    }

    private static String text(JsonNode root, String key) {
        JsonNode n = root.get(key);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static int positive(Path file, JsonNode root, String key) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) throw new CheckpointException(file, null, "missing '" + key + "'");
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() <= 0) {
            throw new CheckpointException(file, null, "'" + key + "' must be a positive integer, found " + n);
        }
        return n.asInt();
    }
}
