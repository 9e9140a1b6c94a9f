package dev.drllm.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;

/**
 * The named special tokens of tokenizer_config.json, each given as a string or as an
 * {@code {"content": …}} object; null where the config has none.
 */
public record SpecialTokens(Path file, String bos, String eos, String unk, String pad) {
    static SpecialTokens parse(JsonNode config, Path file) {
        return new SpecialTokens(file, token(config, "bos_token", file), token(config, "eos_token", file),
                token(config, "unk_token", file), token(config, "pad_token", file));
    }

    private static String token(JsonNode config, String field, Path file) {
        JsonNode n = config.get(field);
        if (n == null || n.isNull()) return null;
        if (n.isTextual()) return n.asText();
        if (n.isObject() && n.get("content") != null && n.get("content").isTextual()) return n.get("content").asText();
        throw new TokenizerException(file, field, "expected a string or {\"content\": …}, found " + n);
    }
}
