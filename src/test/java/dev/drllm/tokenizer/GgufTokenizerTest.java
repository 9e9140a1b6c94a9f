package dev.drllm.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.Fixtures;
import dev.drllm.gguf.GgufFile;
import dev.drllm.gguf.GgufTokenizer;
import dev.drllm.gguf.GgufWriter;
import dev.drllm.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tokenizer of a GGUF file, from its metadata: the real Llama 3 and Qwen3 vocabularies written
 * as llama.cpp's converter lays them out (tokens, token types, merges, pre-tokenizer name, chat
 * template) encode and render every HF fixture case exactly as transformers does.
 */
class GgufTokenizerTest {
    @TempDir
    static Path tmp;

    static Tokenizer fromGguf(Path tokDir, String name) throws IOException {
        JsonNode json = Json.MAPPER.readTree(tokDir.resolve("tokenizer.json").toFile());
        int vocab = json.path("model").path("vocab").size() + json.path("added_tokens").size();
        Path f = tmp.resolve(name + ".gguf");
        if (!Files.isRegularFile(f)) new GgufWriter().put("general.architecture", "llama")
                .tokenizerFrom(tokDir.resolve("tokenizer.json"), tokDir.resolve("tokenizer_config.json"), vocab).write(f, null);
        try (GgufFile g = GgufFile.open(f)) {
            return GgufTokenizer.load(g);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"qwen3", "llama3"})
    void everyCaseAndChatMatchesHf(String name) throws IOException {
        Tokenizer tok = fromGguf(TokenizerFixtures.dir(name), name);
        JsonNode fx = TokenizerFixtures.fixture(name);
        for (JsonNode c : fx.get("cases")) {
            String text = c.get("text").asText();
            String label = name + " " + Json.MAPPER.valueToTree(text);
            int[] ids = TokenizerFixtures.ints(c.get("ids"));
            assertArrayEquals(ids, tok.encode(text), label + ": ids");
            assertArrayEquals(TokenizerFixtures.ints(c.get("ids_with_special")), tok.encode(text, true), label + ": ids_with_special");
            assertEquals(c.get("decoded_skip_special").asText(), tok.decode(ids, true), label + ": decoded_skip_special");
        }
        for (JsonNode c : fx.get("chat")) {
            List<Map<String, Object>> messages = new ArrayList<>();
            for (JsonNode m : c.get("messages")) messages.add(Json.MAPPER.convertValue(m, Map.class));
            @SuppressWarnings("unchecked")
            Map<String, Object> vars = Json.MAPPER.convertValue(c.get("kwargs"), Map.class);
            String rendered = tok.renderChat(messages, true, vars);
            assertEquals(c.get("rendered").asText(), rendered, name + " rendering of " + c.get("messages"));
            assertArrayEquals(TokenizerFixtures.ints(c.get("ids")), tok.encode(rendered), name + " ids of the rendering");
        }
    }

    /** drllm-tiny's tokenizer (Qwen2 pre-tokenizer, one special token) through GGUF encodes arbitrary text as its tokenizer.json does. */
    @Test
    void tinyModelTokenizer() throws IOException {
        Tokenizer hf = Tokenizer.load(Fixtures.tinyModel());
        Tokenizer gg = fromGguf(Fixtures.tinyModel(), "tiny");
        for (String s : new String[]{"Question: What is 12+30?\nAnswer: 42", "  héllo\tworld 😀 <|endoftext|> 1234567", "", "don't DON'T we'll"}) {
            assertArrayEquals(hf.encode(s), gg.encode(s), s);
            assertEquals(hf.decode(hf.encode(s), false), gg.decode(gg.encode(s), false), s);
        }
    }

    @Test
    void unsupportedTokenizersAreTypedErrors() throws IOException {
        Path spm = tmp.resolve("spm.gguf");
        new GgufWriter().put("general.architecture", "llama").put("tokenizer.ggml.model", "llama")
                .put("tokenizer.ggml.tokens", List.of("<unk>", "a")).write(spm, null);
        try (GgufFile g = GgufFile.open(spm)) {
            TokenizerException e = assertThrows(TokenizerException.class, () -> GgufTokenizer.load(g));
            assertTrue(e.getMessage().contains("'llama' is not supported") && e.getMessage().contains("tokenizer.json beside"), e.getMessage());
        }
        Path pre = tmp.resolve("pre.gguf");
        new GgufWriter().put("general.architecture", "llama").put("tokenizer.ggml.model", "gpt2").put("tokenizer.ggml.pre", "deepseek-coder")
                .put("tokenizer.ggml.tokens", List.of("a", "b")).write(pre, null);
        try (GgufFile g = GgufFile.open(pre)) {
            TokenizerException e = assertThrows(TokenizerException.class, () -> GgufTokenizer.load(g));
            assertTrue(e.getMessage().contains("deepseek-coder"), e.getMessage());
        }
    }
}
