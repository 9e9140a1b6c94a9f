package dev.drllm.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.Fixtures;
import dev.drllm.util.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded model's tokenizer on every task prompt of data/tasks (DESIGN.md §4): prompts round
 * trip, stay inside the 512-token vocab, and an ARC prompt ends with the lone-space token the
 * model was trained to see (prompt and answer were tokenised separately).
 */
class TinyModelTokenizerTest {
    private static final Tokenizer TOK = Tokenizer.load(Fixtures.tinyModel());

    static List<String[]> prompts(String split) throws IOException {
        List<String[]> out = new ArrayList<>(); // {prompt, answer}
        for (String task : new String[] {"arc", "dart"}) {
            for (String line : Files.readAllLines(Fixtures.projectDir().resolve("data/tasks/" + task + "-" + split + ".jsonl"))) {
                JsonNode q = Json.MAPPER.readTree(line);
                if (task.equals("arc")) {
                    StringBuilder sb = new StringBuilder("Question: ").append(q.get("question").asText()).append('\n');
                    JsonNode texts = q.get("choices").get("text"), labels = q.get("choices").get("label");
                    for (int i = 0; i < texts.size(); i++) sb.append('(').append(labels.get(i).asText()).append(") ").append(texts.get(i).asText()).append('\n');
                    out.add(new String[] {sb.append("Answer: ").toString(), q.get("answerKey").asText()});
                } else {
                    out.add(new String[] {"Question: " + q.get("query").asText() + "\nAnswer: \\boxed{", q.get("gt_ans").asText() + "}"});
                }
            }
        }
        return out;
    }

    @Test
    void stopTokenAndSpecials() {
        assertEquals(Set.of(0), TOK.stopTokenIds());
        assertEquals(512, TOK.vocabSize());
        assertEquals(0, TOK.tokenId("<|endoftext|>"));
        assertTrue(TOK.isSpecial(0));
        assertArrayEquals(new int[] {0}, TOK.encode("<|endoftext|>"));
        // the tiny tokenizer's post-processor is ByteLevel: no BOS is added
        assertArrayEquals(TOK.encode("Answer: "), TOK.encode("Answer: ", true));
    }

    @Test
    void everyTaskPromptRoundTripsAndEndsAsTrained() throws IOException {
        int space = TOK.tokenId("\u0120"); // "Ġ", the byte-level space
        int n = 0;
        for (String split : new String[] {"train", "test"}) {
            for (String[] pa : prompts(split)) {
                String prompt = pa[0], answer = pa[1];
                int[] ids = TOK.encode(prompt);
                assertEquals(prompt, TOK.decode(ids, false), "round trip");
                for (int id : ids) assertTrue(id > 0 && id < 512, "id " + id + " in " + prompt);
                if (prompt.endsWith("Answer: ")) {
                    assertEquals(space, ids[ids.length - 1], "ARC prompt must end with the separate space token: " + prompt);
                    assertEquals(prompt.substring(0, prompt.length() - 1),
                            TOK.decode(java.util.Arrays.copyOf(ids, ids.length - 1), false), "the space alone is the last token");
                } else {
                    assertEquals("{", TOK.decode(new int[] {ids[ids.length - 1]}, false), "DART prompt ends with '{'");
                }
                // prompt and answer tokenised separately decode to their concatenation, as in training
                int[] ans = TOK.encode(answer);
                int[] both = new int[ids.length + ans.length];
                System.arraycopy(ids, 0, both, 0, ids.length);
                System.arraycopy(ans, 0, both, ids.length, ans.length);
                assertEquals(prompt + answer, TOK.decode(both, true));
                n++;
            }
        }
        assertEquals(3000, n);
    }

    @Test
    void digitsAreSingleTokens() {
        // drllm-tiny's README: Qwen2-style split regex with single digits
        int[] ids = TOK.encode("12345");
        assertEquals(5, ids.length);
        assertNotNull(TOK.tokenId("7"));
    }
}
