package dev.drllm.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.util.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Structure-aware companions of {@link ParserFuzzTest#scanFile} and {@link ParserFuzzTest#evalProgress}:
 * the fuzzer's bytes choose edits of the JSON trees of a valid file ({@link FuzzSeeds}) — a value
 * replaced by another of any type and size, a field or array entry dropped or repeated, a line
 * dropped or repeated — and the edited file goes through the same target, so the same errors are
 * accepted. Byte-level mutation of JSONL mostly yields invalid JSON: a 3-minute byte-level campaign
 * on {@code evalProgress} reached the static-skip ranking with 11 of ~1600 corpus inputs and never
 * shortened a router-logit row; {@link #evalProgressTree} found that crash (fixed in EvalProgress) in under a
 * minute when run against the old parser ({@code finding-short-logit-row} in its inputs).
 */
class JsonTreeFuzzTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ParserFuzzTest TARGETS = new ParserFuzzTest();
    private static final List<List<JsonNode>> SCANS, PROGRESS;

    static {
        try {
            SCANS = List.of(lines(FuzzSeeds.scanFile("arc", 8)), lines(FuzzSeeds.scanFile("dart", 12)));
            PROGRESS = List.of(lines(FuzzSeeds.evalProgress(List.of("baseline", "routed", "static skip-1"))),
                    lines(FuzzSeeds.evalProgress(List.of("routed"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** First byte as in {@code scanFile} (torn tail tolerated, min-agreement, --hold-out-last), then the edited scan. */
    @FuzzTest(maxDuration = "10s")
    void scanFileTree(FuzzedDataProvider d) {
        byte mode = d.consumeByte();
        byte[] file = edited(SCANS, d);
        byte[] in = new byte[file.length + 1];
        in[0] = mode;
        System.arraycopy(file, 0, in, 1, file.length);
        TARGETS.scanFile(in);
    }

    @FuzzTest(maxDuration = "10s")
    void evalProgressTree(FuzzedDataProvider d) {
        TARGETS.evalProgress(edited(PROGRESS, d));
    }

    private static List<JsonNode> lines(byte[] jsonl) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String s : new String(jsonl, StandardCharsets.UTF_8).split("\n")) if (!s.isBlank()) out.add(Json.MAPPER.readTree(s));
        return out;
    }

    /** One of {@code seeds}, edited 1 to 4 times, as JSONL (the last line cut short when the fuzzer says so). */
    private static byte[] edited(List<List<JsonNode>> seeds, FuzzedDataProvider d) {
        List<JsonNode> lines = new ArrayList<>();
        for (JsonNode n : seeds.get(d.consumeInt(0, seeds.size() - 1))) lines.add(n.deepCopy());
        for (int k = d.consumeInt(1, 4); k > 0; k--) edit(lines, d);
        boolean torn = d.consumeBoolean();
        StringBuilder sb = new StringBuilder();
        try {
            for (JsonNode n : lines) sb.append(Json.MAPPER.writeValueAsString(n)).append('\n');
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        if (torn && sb.length() > 1) sb.setLength(d.consumeInt(0, sb.length() - 1));
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void edit(List<JsonNode> lines, FuzzedDataProvider d) {
        int line = d.consumeInt(0, lines.size() - 1);
        switch (d.consumeInt(0, 7)) {
            case 0 -> {
                if (lines.size() > 1) lines.remove(line);
            }
            case 1 -> lines.add(d.consumeInt(0, lines.size()), lines.get(line).deepCopy());
            default -> {
                List<JsonNode> containers = new ArrayList<>();
                containers(lines.get(line), containers);
                JsonNode c = containers.get(d.consumeInt(0, containers.size() - 1));
                if (c instanceof ObjectNode o) {
                    List<String> names = new ArrayList<>();
                    o.fieldNames().forEachRemaining(names::add);
                    if (names.isEmpty() || d.consumeInt(0, 7) == 0) {
                        o.set(d.consumeString(12), value(d, 0));
                        return;
                    }
                    String f = names.get(d.consumeInt(0, names.size() - 1));
                    if (d.consumeInt(0, 5) == 0) o.remove(f);
                    else o.set(f, value(d, 0));
                } else if (c instanceof ArrayNode a) {
                    if (a.isEmpty()) {
                        a.add(value(d, 1));
                        return;
                    }
                    int i = d.consumeInt(0, a.size() - 1);
                    switch (d.consumeInt(0, 3)) {
                        case 0 -> a.remove(i);
                        case 1 -> a.insert(i, a.get(i).deepCopy());
                        case 2 -> a.add(value(d, 1));
                        default -> a.set(i, value(d, 1));
                    }
                }
            }
        }
    }

    private static void containers(JsonNode n, List<JsonNode> out) {
        if (!n.isContainerNode()) return;
        out.add(n);
        for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) containers(it.next(), out);
    }

    /** Any JSON value, biased to what these formats hold: small integers (layers, lengths, indices), 0/1 strings, short arrays. */
    private static JsonNode value(FuzzedDataProvider d, int depth) {
        return switch (d.consumeInt(0, 9)) {
            case 0, 1 -> F.numberNode(d.consumeInt(-2, 20));
            case 2 -> F.numberNode(d.consumeLong());
            case 3 -> F.numberNode(d.consumeDouble());
            case 4 -> F.textNode(d.consumeString(40));
            case 5 -> d.consumeBoolean() ? F.nullNode() : F.booleanNode(d.consumeBoolean());
            case 6 -> F.numberNode(new java.math.BigInteger(1, d.consumeBytes(16)));
            case 7 -> {
                ObjectNode o = F.objectNode();
                for (int n = d.consumeInt(0, 3); n > 0; n--) o.set(d.consumeString(6), depth < 2 ? value(d, depth + 1) : F.nullNode());
                yield o;
            }
            default -> {
                ArrayNode a = F.arrayNode();
                for (int n = d.consumeInt(0, 8); n > 0; n--) a.add(depth < 2 && d.consumeInt(0, 3) == 0 ? value(d, depth + 1) : F.numberNode(d.consumeInt(-1, 5)));
                yield a;
            }
        };
    }
}
