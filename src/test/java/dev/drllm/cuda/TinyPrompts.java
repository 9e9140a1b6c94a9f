package dev.drllm.cuda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.Fixtures;
import dev.drllm.util.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Prompts for comparing backends on the tiny model: the first ARC- and DART-style test questions in
 * DESIGN.md section 4's format, turned into ids one byte-level token per character (the vocabulary's
 * single-character entries, 'Ġ' for a space, 'Ċ' for a newline). Not the BPE tokenisation — the
 * comparison needs identical inputs on both backends, not the model's best answers.
 */
final class TinyPrompts {
    private TinyPrompts() {}

    static int[] prompt(int i) {
        try {
            JsonNode vocab = Json.MAPPER.readTree(Fixtures.tinyModel().resolve("tokenizer.json").toFile()).get("model").get("vocab");
            List<String> lines = Files.readAllLines(Fixtures.projectDir().resolve("data/tasks/" + (i % 2 == 0 ? "arc-test.jsonl" : "dart-test.jsonl")));
            JsonNode q = Json.MAPPER.readTree(lines.get(i / 2));
            String text;
            if (q.has("choices")) {
                StringBuilder b = new StringBuilder("Question: " + q.get("question").asText() + "\n");
                JsonNode t = q.get("choices").get("text");
                for (int c = 0; c < t.size(); c++) b.append("(").append((char) ('A' + c)).append(") ").append(t.get(c).asText()).append("\n");
                text = b.append("Answer: ").toString();
            } else {
                text = "Question: " + q.get("query").asText() + "\nAnswer: \\boxed{";
            }
            List<Integer> ids = new ArrayList<>();
            for (char ch : text.toCharArray()) {
                String tok = ch == ' ' ? "Ġ" : ch == '\n' ? "Ċ" : String.valueOf(ch);
                JsonNode id = vocab.get(tok);
                if (id != null) ids.add(id.asInt());
            }
            return ids.stream().mapToInt(Integer::intValue).toArray();
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }
}
