package dev.drllm.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.util.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Golden test: every case and chat rendering of the HF fixtures, for the real Qwen3 and Llama-3 tokenizers. */
class HfFixtureTest {
    @ParameterizedTest
    @ValueSource(strings = {"qwen3", "llama3"})
    void everyCaseMatchesHf(String name) {
        Tokenizer tok = TokenizerFixtures.load(name);
        JsonNode cases = TokenizerFixtures.fixture(name).get("cases");
        for (JsonNode c : cases) {
            String text = c.get("text").asText();
            String label = name + " " + Json.MAPPER.valueToTree(text);
            int[] ids = TokenizerFixtures.ints(c.get("ids"));
            assertArrayEquals(ids, tok.encode(text), label + ": ids");
            assertArrayEquals(TokenizerFixtures.ints(c.get("ids_with_special")), tok.encode(text, true), label + ": ids_with_special");
            assertEquals(c.get("decoded").asText(), tok.decode(ids, false), label + ": decoded");
            assertEquals(c.get("decoded_skip_special").asText(), tok.decode(ids, true), label + ": decoded_skip_special");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"qwen3", "llama3"})
    void everyChatRenderingMatchesTransformers(String name) {
        Tokenizer tok = TokenizerFixtures.load(name);
        for (JsonNode c : TokenizerFixtures.fixture(name).get("chat")) {
            List<Map<String, Object>> messages = new ArrayList<>();
            for (JsonNode m : c.get("messages")) messages.add(Json.MAPPER.convertValue(m, Map.class));
            @SuppressWarnings("unchecked")
            Map<String, Object> vars = Json.MAPPER.convertValue(c.get("kwargs"), Map.class);
            String rendered = tok.renderChat(messages, true, vars);
            assertEquals(c.get("rendered").asText(), rendered, name + " rendering of " + c.get("messages"));
            assertArrayEquals(TokenizerFixtures.ints(c.get("ids")), tok.encode(rendered), name + " ids of the rendering");
        }
    }
}
