package dev.drllm.tokenizer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.Fixtures;
import dev.drllm.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The work budget of pre-tokenizer regexes ({@link SplitPattern}): a catastrophic pattern fails fast
 * with a TokenizerException naming the file and component; every real tokenizer encodes long,
 * adversarial but ordinary text far below the budget.
 */
class SplitBudgetTest {
    private static final int N = 100_000;
    /** The real patterns must stay this many times below the budget on every text here. */
    private static final int MARGIN = 8;

    @TempDir Path tmp;

    /** The tiny model's tokenizer.json with its pre-tokenizer replaced. */
    private Path tinyWith(String preTokenizerJson) throws IOException {
        ObjectNode root = (ObjectNode) Json.MAPPER.readTree(Fixtures.tinyModel().resolve("tokenizer.json").toFile());
        root.set("pre_tokenizer", Json.MAPPER.readTree(preTokenizerJson));
        Path dir = Files.createTempDirectory(tmp, "tok");
        Files.writeString(dir.resolve("tokenizer.json"), Json.MAPPER.writeValueAsString(root));
        return dir;
    }

    private Path tinyWithSplit(String regex) throws IOException {
        return tinyWith("{\"type\": \"Sequence\", \"pretokenizers\": [{\"type\": \"Split\", \"pattern\": {\"Regex\": "
                + Json.MAPPER.writeValueAsString(regex) + "}, \"behavior\": \"Isolated\", \"invert\": false},"
                + " {\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"use_regex\": false}]}");
    }

    /** Long texts a user may well send: runs of one class, spaced punctuation, every script, emoji. */
    static Map<String, String> ordinaryTexts() {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("one digit", "7".repeat(N));
        t.put("digits", "0123456789".repeat(N / 10));
        t.put("digit space", "1 ".repeat(N / 2));
        t.put("spaces digit", "   1".repeat(N / 4));
        t.put("spaces", " ".repeat(N));
        t.put("spaces then a letter", " ".repeat(N) + "x");
        t.put("spaces then a dot", " ".repeat(N) + ".");
        t.put("newlines", "\n".repeat(N));
        t.put("space newline", " \n".repeat(N / 2));
        t.put("unicode spaces", " \t\n\r\u00a0\u3000\u2028\u2009".repeat(N / 8));
        t.put("one letter", "a".repeat(N));
        t.put("letters then b", "a".repeat(N) + "b");
        t.put("apostrophes", "'".repeat(N));
        t.put("contractions", "'s'S'ſ'll'VE".repeat(N / 12));
        t.put("apostrophe space", "' s".repeat(N / 3));
        t.put("punctuation", ".,;:!?()[]{}".repeat(N / 12));
        t.put("spaced punctuation", " . , ; :".repeat(N / 8));
        t.put("emoji", "😀👍🏽❤️🇩🇪👨‍👩‍👧‍👦".repeat(N / 20));
        t.put("mixed scripts", "Hello мир 你好 مرحبا שלום नमस्ते Ελλάδα 123 😀 \t\n".repeat(N / 50));
        t.put("combining marks", "e\u0301\u0302\u0303".repeat(N / 4));
        t.put("lone surrogates", "\ud800x\udc00".repeat(N / 3));
        t.put("code", "if (x[i] >= 0) {\n\treturn a_b + 0x1F; // ok\n}\n".repeat(N / 45));
        return t;
    }

    @Test
    void catastrophicPatternFailsFastNamingFileAndComponent() throws IOException {
        // java.util.regex memoizes (a+)+, so on a run of n a's it is quadratic rather than exponential:
        // 20k chars take seconds, 100k minutes, without the budget
        Path dir = tinyWithSplit("(a+)+$");
        Tokenizer tok = Tokenizer.load(dir);
        String text = "a".repeat(N) + "b";
        TokenizerException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> assertThrows(TokenizerException.class, () -> tok.encode(text)));
        assertEquals(dir.resolve("tokenizer.json"), e.file());
        assertEquals("pre_tokenizer.pretokenizers[0].pattern.Regex", e.component());
        assertTrue(e.getMessage().contains("exceeded its work budget") && e.getMessage().contains("on an input of " + (N + 1) + " chars"),
                e.getMessage());
        // exponential and high-degree polynomial shapes, on text of the kind that triggers them
        Map<String, String> shapes = Map.of(
                "(x+x+)+y", "x".repeat(40),
                "a*a*a*a*a*b", "a".repeat(1000),
                "(?:.*){5}x", "a".repeat(1000),
                "^(\\d+)*$", "1".repeat(5000) + "x");
        for (var c : shapes.entrySet()) {
            Tokenizer t = Tokenizer.load(tinyWithSplit(c.getKey()));
            TokenizerException f = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> assertThrows(TokenizerException.class, () -> t.encode(c.getValue())), c.getKey());
            assertTrue(f.getMessage().contains("exceeded its work budget"), f.getMessage());
        }
    }

    @Test
    void budgetHoldsForEveryStepAndBehavior() throws IOException {
        // a catastrophic pattern in a later step, with a non-isolated behavior, is caught the same way
        Path dir = tinyWith("{\"type\": \"Sequence\", \"pretokenizers\": [{\"type\": \"Digits\", \"individual_digits\": false},"
                + " {\"type\": \"Split\", \"pattern\": {\"Regex\": \"(x+x+)+y\"}, \"behavior\": \"MergedWithPrevious\", \"invert\": true},"
                + " {\"type\": \"ByteLevel\", \"add_prefix_space\": true, \"use_regex\": true}]}");
        Tokenizer tok = Tokenizer.load(dir);
        TokenizerException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> assertThrows(TokenizerException.class, () -> tok.encode("12" + "x".repeat(60))));
        assertEquals("pre_tokenizer.pretokenizers[1].pattern.Regex", e.component());
        assertTrue(e.getMessage().contains("on an input of 60 chars"), e.getMessage());
    }

    @Test
    void groupRepeatedOnLongTextIsATokenizerExceptionNotStackOverflow() throws IOException {
        // linear work, but java.util.regex recurses per repetition of the group: ~40k of these overflow 8 MB
        Path dir = tinyWithSplit("(?:a|b)+");
        Tokenizer tok = Tokenizer.load(dir);
        assertEquals(7, tok.decode(tok.encode("abab cd"), false).length());
        String text = "ab".repeat(500_000);
        TokenizerException e = assertThrows(TokenizerException.class, () -> tok.encode(text));
        assertEquals("pre_tokenizer.pretokenizers[0].pattern.Regex", e.component());
        assertTrue(e.getMessage().contains("overflowed the stack on an input of 1000000 chars"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"qwen3", "llama3", "drllm-tiny", "gpt2"})
    void realTokenizersEncodeLongOrdinaryTextFarBelowTheBudget(String name) throws IOException {
        Tokenizer tok = switch (name) {
            case "drllm-tiny" -> Tokenizer.load(Fixtures.tinyModel());
            // GGUF's "default" pre-tokenizer: ByteLevel with GPT-2's own regex
            case "gpt2" -> Tokenizer.load(tinyWith("{\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"use_regex\": true}"));
            default -> TokenizerFixtures.load(name);
        };
        Pattern pattern = switch (name) {
            case "gpt2" -> SplitPattern.compile(PreTokenizer.GPT2_REGEX, Path.of("x"), "x").pattern();
            default -> {
                Path json = name.equals("drllm-tiny") ? Fixtures.tinyModel().resolve("tokenizer.json")
                        : TokenizerFixtures.dir(name).resolve("tokenizer.json");
                String regex = Json.MAPPER.readTree(json.toFile()).at("/pre_tokenizer/pretokenizers/0/pattern/Regex").asText();
                yield SplitPattern.compile(regex, json, "x").pattern();
            }
        };
        for (var t : ordinaryTexts().entrySet()) {
            String text = t.getValue();
            int[] ids = tok.encode(text);
            assertTrue(ids.length > 0, t.getKey());
            if (!name.equals("qwen3") && !name.equals("llama3"))
                assertEquals(ByteLevel.sanitize(text), tok.decode(ids, false), name + " round trip of " + t.getKey());
            long reads = reads(pattern, ByteLevel.sanitize(text));
            assertTrue(reads * MARGIN <= SplitPattern.BASE_READS + SplitPattern.READS_PER_CHAR * text.length(),
                    name + " on " + t.getKey() + ": " + (double) reads / text.length() + " reads per char");
        }
    }

    /** Character reads of one pass of the pattern over the text, as the budget counts them. */
    private static long reads(Pattern pattern, String text) {
        long[] n = {0};
        CharSequence counted = new CharSequence() {
            @Override public char charAt(int i) { n[0]++; return text.charAt(i); }
            @Override public int length() { return text.length(); }
            @Override public CharSequence subSequence(int s, int e) { return text.subSequence(s, e); }
            @Override public String toString() { return text; }
        };
        Matcher m = pattern.matcher(counted);
        while (m.find()) {
            // only the reads count
        }
        return n[0];
    }
}
