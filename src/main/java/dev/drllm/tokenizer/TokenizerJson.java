package dev.drllm.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;

/** Small typed accessors over tokenizer.json nodes that fail with the component's JSON path. */
final class TokenizerJson {
    private TokenizerJson() {}

    static String type(JsonNode node, String where, Path file) {
        if (!node.isObject()) throw new TokenizerException(file, where, "expected an object, found " + node.getNodeType());
        JsonNode t = node.get("type");
        if (t == null || !t.isTextual()) throw new TokenizerException(file, where, "missing 'type'");
        return t.asText();
    }

    static JsonNode array(JsonNode node, String field, String where, Path file) {
        JsonNode a = node.get(field);
        if (a == null || !a.isArray()) throw new TokenizerException(file, where + "." + field, "missing or not an array");
        return a;
    }

    static boolean bool(JsonNode node, String field, boolean dflt, String where, Path file) {
        JsonNode b = node.get(field);
        if (b == null || b.isNull()) return dflt;
        if (!b.isBoolean()) throw new TokenizerException(file, where + "." + field, "expected true or false, found " + b);
        return b.asBoolean();
    }

    static String text(JsonNode node, String field, String where, Path file) {
        JsonNode s = node.get(field);
        if (s == null || !s.isTextual()) throw new TokenizerException(file, where + "." + field, "missing or not a string");
        return s.asText();
    }
}
