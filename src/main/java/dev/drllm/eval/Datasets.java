package dev.drllm.eval;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.util.DatasetException;
import dev.drllm.util.Json;
import dev.drllm.util.JsonFields;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Loads ARC- and DART-Math-layout JSONL files; every fault names the file, the line and the field. */
public final class Datasets {
    private Datasets() {}

    public static List<Question> load(Path file, Task task) {
        if (!Files.isRegularFile(file)) throw new DatasetException(file, 0, "not a readable file");
        List<Question> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder))) {
            String line;
            long lineNo = 0;
            while (true) {
                try {
                    line = r.readLine();
                } catch (CharacterCodingException e) {
                    throw new DatasetException(file, lineNo + 1, "not valid UTF-8");
                }
                if (line == null) break;
                lineNo++;
                if (line.isBlank()) continue;
                JsonNode node;
                try {
                    node = Json.MAPPER.readTree(line);
                } catch (JacksonException e) {
                    throw new DatasetException(file, lineNo, "not valid JSON: " + Json.message(e));
                }
                if (node == null || !node.isObject()) throw new DatasetException(file, lineNo, "expected a JSON object");
                int index = out.size();
                Question q;
                try {
                    q = task == Task.ARC ? arc(file, lineNo, index, node) : dart(file, lineNo, index, node);
                } catch (DatasetException e) {
                    if (!otherTask(task, node)) throw e;
                    String hint = task == Task.ARC ? "this is a DART-Math line: --task dart?" : "this is an ARC line: --task arc?";
                    throw new DatasetException(file, lineNo, e.problem() + " (" + hint + ")");
                }
                if (!ids.add(q.id())) throw new DatasetException(file, lineNo, "duplicate id '" + q.id() + "'");
                out.add(q);
            }
        } catch (IOException e) {
            throw new DatasetException(file, 0, "cannot read: " + e.getMessage(), e);
        }
        if (out.isEmpty()) throw new DatasetException(file, 0, "no questions");
        return out;
    }

    /** Whether a line that failed as {@code task} has the other layout's question field (a wrong --task). */
    private static boolean otherTask(Task task, JsonNode node) {
        return task == Task.ARC ? node.has("query") && !node.has("question") : node.has("question") && !node.has("query");
    }

    private static String id(JsonFields f, int index) {
        return f.has("id") ? f.textOrNumber("id") : Integer.toString(index);
    }

    private static Question arc(Path file, long line, int index, JsonNode node) {
        JsonFields f = JsonFields.of(node, file, line);
        String question = f.nonBlankText("question");
        JsonFields choices = f.object("choices");
        JsonNode texts = choices.array("text"), labels = choices.array("label");
        if (texts.size() != labels.size()) {
            throw f.fault("'choices.text' has " + texts.size() + " entries but 'choices.label' has " + labels.size());
        }
        if (texts.size() < 2 || texts.size() > 26) throw f.fault("'choices' must have 2 to 26 entries, found " + texts.size());
        List<String> t = new ArrayList<>(), l = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            if (!texts.get(i).isTextual()) throw f.fault("'choices.text[" + i + "]' must be a string");
            if (!labels.get(i).isTextual() && !labels.get(i).isNumber()) throw f.fault("'choices.label[" + i + "]' must be a string");
            t.add(texts.get(i).asText());
            l.add(labels.get(i).asText());
        }
        String key = f.textOrNumber("answerKey");
        int pos = l.indexOf(key.strip());
        if (pos < 0) throw f.fault("'answerKey' " + key + " is not one of the labels " + l);
        // Gold is the letter by position: some ARC rows label choices 1..4, but prompts always show A, B, C, D.
        String gold = String.valueOf((char) ('A' + pos));
        return new Question(Task.ARC, index, id(f, index), question, t, gold, 0);
    }

    private static Question dart(Path file, long line, int index, JsonNode node) {
        JsonFields f = JsonFields.of(node, file, line);
        String query = f.nonBlankText("query");
        String gold = f.textOrNumber("gt_ans");
        if (gold.isBlank()) throw f.fault("'gt_ans' is empty");
        JsonFields meta = f.optObject("query_metadata");
        int level = meta == null ? 0 : meta.optNonNegativeInt("level", 0);
        return new Question(Task.DART, index, id(f, index), query, List.of(), gold, level);
    }
}
