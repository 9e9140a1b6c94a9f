package dev.drllm.eval;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.util.Json;

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

    private static String id(Path file, long line, int index, JsonNode node) {
        JsonNode id = node.get("id");
        if (id == null || id.isNull()) return Integer.toString(index);
        if (!id.isTextual() && !id.isNumber()) throw new DatasetException(file, line, "field 'id' must be a string or number");
        return id.asText();
    }

    private static String text(Path file, long line, JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) throw new DatasetException(file, line, "missing field '" + field + "'");
        if (!v.isTextual()) throw new DatasetException(file, line, "field '" + field + "' must be a string");
        if (v.asText().isBlank()) throw new DatasetException(file, line, "field '" + field + "' is empty");
        return v.asText();
    }

    private static Question arc(Path file, long line, int index, JsonNode node) {
        String question = text(file, line, node, "question");
        JsonNode choices = node.get("choices");
        if (choices == null || !choices.isObject()) throw new DatasetException(file, line, "missing object field 'choices'");
        JsonNode texts = choices.get("text"), labels = choices.get("label");
        if (texts == null || !texts.isArray()) throw new DatasetException(file, line, "missing array field 'choices.text'");
        if (labels == null || !labels.isArray()) throw new DatasetException(file, line, "missing array field 'choices.label'");
        if (texts.size() != labels.size()) {
            throw new DatasetException(file, line, "'choices.text' has " + texts.size() + " entries but 'choices.label' has " + labels.size());
        }
        if (texts.size() < 2 || texts.size() > 26) throw new DatasetException(file, line, "'choices' must have 2 to 26 entries, found " + texts.size());
        List<String> t = new ArrayList<>(), l = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            if (!texts.get(i).isTextual()) throw new DatasetException(file, line, "'choices.text[" + i + "]' must be a string");
            if (!labels.get(i).isTextual() && !labels.get(i).isNumber()) throw new DatasetException(file, line, "'choices.label[" + i + "]' must be a string");
            t.add(texts.get(i).asText());
            l.add(labels.get(i).asText());
        }
        JsonNode key = node.get("answerKey");
        if (key == null || !(key.isTextual() || key.isNumber())) throw new DatasetException(file, line, "missing field 'answerKey'");
        int pos = l.indexOf(key.asText().strip());
        if (pos < 0) throw new DatasetException(file, line, "'answerKey' " + key.asText() + " is not one of the labels " + l);
        // Gold is the letter by position: some ARC rows label choices 1..4, but prompts always show A, B, C, D.
        String gold = String.valueOf((char) ('A' + pos));
        return new Question(Task.ARC, index, id(file, line, index, node), question, t, gold, 0);
    }

    private static Question dart(Path file, long line, int index, JsonNode node) {
        String query = text(file, line, node, "query");
        JsonNode ans = node.get("gt_ans");
        if (ans == null || ans.isNull()) throw new DatasetException(file, line, "missing field 'gt_ans'");
        if (!ans.isTextual() && !ans.isNumber()) throw new DatasetException(file, line, "field 'gt_ans' must be a string or number");
        if (ans.asText().isBlank()) throw new DatasetException(file, line, "field 'gt_ans' is empty");
        int level = 0;
        JsonNode meta = node.get("query_metadata");
        if (meta != null && !meta.isNull()) {
            if (!meta.isObject()) throw new DatasetException(file, line, "field 'query_metadata' must be an object");
            JsonNode lv = meta.get("level");
            if (lv != null && !lv.isNull()) {
                if (!lv.canConvertToInt() || !lv.isIntegralNumber()) throw new DatasetException(file, line, "'query_metadata.level' must be an integer");
                level = lv.asInt();
            }
        }
        return new Question(Task.DART, index, id(file, line, index, node), query, List.of(), ans.asText(), level);
    }
}
