package dev.drllm.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.Fixtures;
import dev.drllm.tokenizer.Tokenizer;
import dev.drllm.tokenizer.TokenizerException;
import dev.drllm.util.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * tokenizer.json is untrusted input: any bytes load or fail with a TokenizerException. And any text
 * encodes without error and round-trips through the tiny model's byte-level tokenizer; any ids decode.
 * And any pre-tokenizer regex encodes any text, or fails with a TokenizerException, in bounded time.
 */
class TokenizerFuzzTest {
    private static final Tokenizer TINY = Tokenizer.load(Fixtures.tinyModel());
    private static final Path DIR;
    private static final JsonNode TINY_JSON;

    static {
        try {
            DIR = Files.createTempDirectory("tokenizer-fuzz");
            DIR.toFile().deleteOnExit();
            TINY_JSON = Json.MAPPER.readTree(Fixtures.tinyModel().resolve("tokenizer.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "5s")
    void tokenizerJson(byte[] data) throws IOException {
        Files.write(DIR.resolve("tokenizer.json"), data);
        try {
            Tokenizer t = Tokenizer.load(DIR);
            t.decode(t.encode("Question: 1 + 1?\nAnswer: ", true), true);
        } catch (TokenizerException expected) {
        }
    }

    @FuzzTest(maxDuration = "5s")
    void encodeDecode(FuzzedDataProvider in) {
        String text = in.consumeString(2000);
        int[] ids = TINY.encode(text);
        String back = TINY.decode(ids, false);
        // no normalizer in the tiny tokenizer: the byte-level round trip is exact (lone surrogates → U+FFFD)
        String expected = text.codePoints().map(c -> c >= 0xD800 && c <= 0xDFFF ? 0xFFFD : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        if (!back.equals(expected)) throw new AssertionError("round trip of " + text + " gave " + back);
        TINY.decode(in.consumeInts(64), in.consumeBoolean());
    }

    /**
     * A Split regex and a text for it, in the tiny tokenizer: the input is UTF-8 lines "regex", "unit",
     * "count", then the tail; the text is unit repeated count times (at most 200k chars) and the tail.
     * Catastrophic backtracking would hang here and a group repeated per character would overflow
     * the stack; both must end in a TokenizerException (the regex work budget, SplitPattern).
     */
    @FuzzTest(maxDuration = "10s")
    void splitRegex(byte[] data) {
        String[] parts = new String(data, StandardCharsets.UTF_8).split("\n", 4);
        if (parts.length < 2) return;
        int count = 1;
        if (parts.length > 2) {
            try {
                count = Math.clamp(Integer.parseInt(parts[2].strip()), 1, 200_000);
            } catch (NumberFormatException ignored) {
                // count 1
            }
        }
        String unit = parts[1];
        if (unit.isEmpty()) count = 1;
        else count = Math.min(count, 200_000 / unit.length() + 1);
        String text = unit.repeat(count) + (parts.length > 3 ? parts[3] : "");
        ObjectNode root = TINY_JSON.deepCopy();
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "Sequence");
        ArrayNode steps = pre.putArray("pretokenizers");
        ObjectNode split = steps.addObject().put("type", "Split").put("behavior", "Isolated").put("invert", false);
        split.putObject("pattern").put("Regex", parts[0]);
        steps.addObject().put("type", "ByteLevel").put("add_prefix_space", false).put("use_regex", false);
        try {
            Tokenizer t = Tokenizer.fromJson(DIR.resolve("tokenizer.json"), root, DIR.resolve("tokenizer_config.json"),
                    Json.MAPPER.createObjectNode(), null);
            t.encode(text);
        } catch (TokenizerException expected) {
            // does not compile, or over its budget / the stack
        }
    }
}
