package dev.drllm.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.Fixtures;
import dev.drllm.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.text.Normalizer.Form;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties on strings the fixtures do not cover (HF cannot run here): byte-level round trips,
 * ids within the vocabulary, pieces never merged across pre-token boundaries, and the heap-based
 * merge loop checked against a plain quadratic BPE written from the definition.
 */
class TokenizerPropertiesTest {
    static final String[] TRICKY = {
            "Hello", " Hello", "  Hello  ", "HELLO hello HeLLo", "don't", "DON'T", "I'M", "we'LL", "'s's's", "''''",
            "x'sy", "il'est", "ſ's 'ſ", "3.14159265358979", "1234567890123", "-0.000001e-10", "٣٤٥ ১২৩ 一二三",
            "\t\t\tindent", "a\r\nb\rc\n\n\nd", "   \n   \n", "\u00A0nbsp\u00A0", "ideo\u3000space", "line\u2028sep",
            "zero\u200Bwidth", "\u0000nul\u0001\u001F\u007F", "😀😃😄😁😆", "👍🏽👩‍👩‍👧‍👦🏳️‍🌈", "🇯🇵🇫🇷", "❤️‍🔥",
            "日本語のテキストです。", "한국어 텍스트", "中文，标点！？", "ไทย ภาษา", "עברית ימין לשמאל", "Ελληνικά κείμενο",
            "Ünïcödé cömbïnïng e\u0301 a\u0308", "ﬁ ﬂ ﬀ", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝕄𝕒𝕥𝕙", "<|im_start|><|im_end|>", "<|im_start", "<think>x</think>",
            "<|endoftext|><|endoftext|>", "a<|endoftext|>b", "```python\nprint('hi')\n```", "$$\\frac{1}{2}$$", "a" + "b".repeat(300),
            " ".repeat(100), "\n".repeat(50), "ab".repeat(200), "🙂".repeat(30), "\uD800lone", "lone\uDFFF", "x\uDBFF",
    };

    @ParameterizedTest
    @ValueSource(strings = {"qwen3", "llama3"})
    void trickyStringsRoundTrip(String name) {
        Tokenizer tok = TokenizerFixtures.load(name);
        boolean nfc = name.equals("qwen3"); // Qwen3 normalizes with NFC, Llama 3 does not normalize
        for (String s : TRICKY) checkRoundTrip(tok, s, nfc);
    }

    @ParameterizedTest
    @ValueSource(strings = {"qwen3", "llama3", "tiny"})
    void randomUnicodeRoundTrips(String name) {
        Tokenizer tok = name.equals("tiny") ? Tokenizer.load(Fixtures.tinyModel()) : TokenizerFixtures.load(name);
        Random rnd = new Random(42);
        for (int i = 0; i < 300; i++) checkRoundTrip(tok, randomText(rnd, 1 + rnd.nextInt(60)), name.equals("qwen3"));
    }

    private static void checkRoundTrip(Tokenizer tok, String s, boolean nfc) {
        int[] ids = tok.encode(s);
        for (int id : ids) assertTrue(id >= 0 && id < tok.vocabSize(), "id " + id);
        String expected = ByteLevel.sanitize(s);
        if (nfc) expected = java.text.Normalizer.normalize(expected, Form.NFC);
        if (tok.cleansUpTokenizationSpaces()) expected = Tokenizer.cleanUpTokenization(expected);
        assertEquals(expected, tok.decode(ids, false), "round trip of " + Json.MAPPER.valueToTree(s));
        // the same text encodes the same way again (from the merge cache this time)
        assertArrayEquals(ids, tok.encode(s));
    }

    /** Text mixing scripts, digits, punctuation, whitespace runs, emoji and combining marks. */
    static String randomText(Random rnd, int n) {
        String[] pools = {
                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789", " ", "  \t\n\r", ".,;:!?'\"()[]{}<>-+*/=\\$#@%&_|~^`",
                "éüßçñøåæœÆØÅ", "日本語中文字漢字", "한국어", "абвгдеёжз", "αβγδε", "ابتث", "\u0301\u0308\u200D\uFE0F",
                "😀🙂👍🏽🚀🎉🇯🇵", "\u00A0\u3000\u2028\u0085", "'s'll'd'm're've't"};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String pool = pools[rnd.nextInt(pools.length)];
            int cps = (int) pool.codePoints().count();
            sb.appendCodePoint(pool.codePoints().skip(rnd.nextInt(cps)).findFirst().getAsInt());
        }
        return sb.toString();
    }

    @Test
    void addedTokensAreMatchedBeforeSplitting() {
        Tokenizer q = TokenizerFixtures.load("qwen3");
        int start = q.tokenId("<|im_start|>"), think = q.tokenId("<think>");
        int[] ids = q.encode("x<|im_start|><think>y");
        assertEquals(start, ids[1]);
        assertEquals(think, ids[2]);
        assertEquals(4, ids.length);
        // <think> is added but not special: skip_special_tokens keeps it, drops <|im_start|>
        assertEquals("x<think>y", q.decode(ids, true));
        // a partial special token is ordinary text
        assertTrue(q.encode("<|im_start").length > 1);
    }

    @Test
    void piecesNeverMergeAcrossWords() {
        // the text's encoding is the concatenation of its words' encodings where the regex splits
        Tokenizer q = TokenizerFixtures.load("qwen3");
        String a = "Hello", b = " world", c = "!!!";
        int[] joined = q.encode(a + b + c);
        List<Integer> parts = new ArrayList<>();
        for (String s : new String[] {a, b, c}) for (int id : q.encode(s)) parts.add(id);
        assertArrayEquals(parts.stream().mapToInt(Integer::intValue).toArray(), joined);
    }

    @Test
    void invalidUtf8DecodesWithReplacementCharacters() {
        Tokenizer l = TokenizerFixtures.load("llama3");
        int[] ids = l.encode("😀");
        // the emoji is split into byte-level tokens; a prefix of them is an incomplete UTF-8 sequence
        assertTrue(ids.length >= 2, "emoji expected to span several tokens in Llama 3");
        String partial = l.decode(java.util.Arrays.copyOf(ids, ids.length - 1), false);
        assertEquals("\uFFFD", partial, "a truncated 4-byte sequence is one maximal subpart");
    }

    @Test
    void lossyDecodingFollowsMaximalSubparts() {
        assertEquals("\uFFFD", ByteLevel.decodeLossy(bytes(0xF0, 0x9F, 0x98)));
        assertEquals("\uFFFD\uFFFD", ByteLevel.decodeLossy(bytes(0xC0, 0x80)));
        assertEquals("\uFFFD\uFFFD\uFFFD", ByteLevel.decodeLossy(bytes(0xED, 0xA0, 0x80)));
        assertEquals("\uFFFDa", ByteLevel.decodeLossy(bytes(0xE2, 0x82, 'a')));
        assertEquals("\uFFFD\uFFFD", ByteLevel.decodeLossy(bytes(0xF5, 0x80)));
        // Rust rejects ED followed by A0..BF (a surrogate) after one byte; Java's decoder swallows two
        assertEquals("\uFFFD\uFFFD\uFFFD", ByteLevel.decodeLossy(bytes(0x96, 0xED, 0xB9)));
        // elsewhere Java's own decoder also substitutes maximal subparts: both must agree on random bytes
        Random rnd = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[rnd.nextInt(12)];
            for (int k = 0; k < b.length; k++) b[k] = (byte) (rnd.nextBoolean() ? 0x80 + rnd.nextInt(0x80) : rnd.nextInt(256));
            for (int k = 0; k < b.length; k++) if (b[k] == (byte) 0xED) b[k] = 'e';
            assertEquals(new String(b, StandardCharsets.UTF_8), ByteLevel.decodeLossy(b), java.util.Arrays.toString(b));
        }
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return b;
    }

    @Test
    void llama3CleansUpSpacesLikeTransformers() {
        // Llama 3's tokenizer_config sets clean_up_tokenization_spaces: transformers' decode drops
        // the space before punctuation and contractions; Qwen3's does not
        Tokenizer l = TokenizerFixtures.load("llama3"), q = TokenizerFixtures.load("qwen3");
        String text = "Wait , what ? I do n't know . It 's fine !";
        assertEquals("Wait, what? I don't know. It's fine!", l.decode(l.encode(text), false));
        assertEquals(text, q.decode(q.encode(text), false));
    }

    @Test
    void unknownIdsAreDroppedOnDecode() {
        Tokenizer q = TokenizerFixtures.load("qwen3");
        int hi = q.encode("hi")[0];
        assertEquals("hihi", q.decode(new int[] {hi, 999_999, hi}, false));
    }

    /**
     * Qwen3 (ignore_merges false) against BPE from the definition: repeatedly merge the adjacent pair
     * of lowest rank, leftmost first, on words that are exactly one pre-token.
     */
    @Test
    void mergeLoopMatchesQuadraticReference() throws Exception {
        JsonNode model;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(TokenizerFixtures.resources().resolve("qwen3/tokenizer.json.gz")))) {
            model = Json.MAPPER.readTree(in).get("model");
        }
        Map<String, Integer> rank = new HashMap<>();
        JsonNode merges = model.get("merges");
        for (int i = 0; i < merges.size(); i++) rank.putIfAbsent(merges.get(i).get(0).asText() + " " + merges.get(i).get(1).asText(), i);
        Tokenizer q = TokenizerFixtures.load("qwen3");
        Random rnd = new Random(3);
        String letters = "etaoinshrdlucmfwypvbgkqjxzéüñ日本";
        for (int i = 0; i < 2000; i++) {
            StringBuilder w = new StringBuilder(rnd.nextBoolean() ? " " : "");
            int len = 1 + rnd.nextInt(i < 1900 ? 12 : 60);
            for (int k = 0; k < len; k++) w.append(letters.charAt(rnd.nextInt(letters.length())));
            String word = w.toString();
            List<String> sym = new ArrayList<>();
            for (char c : ByteLevel.encode(word.getBytes(StandardCharsets.UTF_8)).toCharArray()) sym.add(String.valueOf(c));
            while (true) {
                int best = -1, bestRank = Integer.MAX_VALUE;
                for (int k = 0; k + 1 < sym.size(); k++) {
                    Integer r = rank.get(sym.get(k) + " " + sym.get(k + 1));
                    if (r != null && r < bestRank) { bestRank = r; best = k; }
                }
                if (best < 0) break;
                sym.set(best, sym.get(best) + sym.remove(best + 1));
            }
            int[] expected = sym.stream().mapToInt(q::tokenId).toArray();
            assertArrayEquals(expected, q.encode(word), "word " + word);
        }
    }
}
