package dev.drllm.model;

/** The decoder families drllm runs; they differ only in biases and q/k normalisation. */
public enum Architecture {
    /** Llama 3.x: optional attention / MLP biases, llama3 RoPE scaling. */
    LLAMA,
    /** Qwen2 / Qwen2.5: q, k, v biases, no o bias. */
    QWEN2,
    /** Qwen3: per-head RMSNorm on q and k before RoPE. */
    QWEN3;

    public static Architecture fromHf(String modelType, String archName) {
        String t = modelType == null ? "" : modelType.toLowerCase(java.util.Locale.ROOT);
        String a = archName == null ? "" : archName;
        if (t.equals("llama") || a.equals("LlamaForCausalLM")) return LLAMA;
        if (t.equals("qwen2") || a.equals("Qwen2ForCausalLM")) return QWEN2;
        if (t.equals("qwen3") || a.equals("Qwen3ForCausalLM")) return QWEN3;
        return null;
    }
}
