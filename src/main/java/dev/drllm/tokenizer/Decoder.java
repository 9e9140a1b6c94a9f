package dev.drllm.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code decoder} of tokenizer.json. Byte-level tokenizers use {@code ByteLevel} (possibly inside
 * a {@code Sequence}): tokens are turned back into bytes and the bytes decoded as UTF-8 with
 * replacement characters, so ids that split a multi-byte character decode exactly as in HF.
 * Without a decoder HF joins the tokens with spaces.
 */
final class Decoder {
    private final boolean byteLevel;

    private Decoder(boolean byteLevel) {
        this.byteLevel = byteLevel;
    }

    static Decoder parse(JsonNode node, Path file) {
        return new Decoder(collect(node, "decoder", file) > 0);
    }

    private static int collect(JsonNode node, String where, Path file) {
        if (node == null || node.isNull()) return 0;
        String type = TokenizerJson.type(node, where, file);
        switch (type) {
            case "ByteLevel" -> { return 1; }
            case "Sequence" -> {
                JsonNode list = TokenizerJson.array(node, "decoders", where, file);
                int n = 0;
                for (int i = 0; i < list.size(); i++) n += collect(list.get(i), where + ".decoders[" + i + "]", file);
                if (n > 1) throw new TokenizerException(file, where, "more than one ByteLevel decoder is unsupported");
                return n;
            }
            default -> throw new TokenizerException(file, where, "unsupported decoder type '" + type + "'");
        }
    }

    String decode(List<String> tokens) {
        if (!byteLevel) return String.join(" ", tokens);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (String t : tokens) ByteLevel.appendTokenBytes(t, bytes);
        return ByteLevel.decodeLossy(bytes.toByteArray());
    }
}
