package dev.drllm.api;

/** What the facade needs from a tokenizer: prompt text to ids (no special tokens), ids to text. */
interface TextCodec {
    int[] encode(String text);

    /** Decodes with special tokens skipped. */
    String decode(int[] ids);
}
