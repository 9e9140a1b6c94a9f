package dev.drllm.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.runtime.LayerPath;
import dev.drllm.util.DatasetException;
import dev.drllm.util.Json;
import dev.drllm.util.JsonFields;
import dev.drllm.util.JsonlAppender;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The progress file of a {@code drllm eval} run: a {@link Header} line, then one line per answered
 * question of each configuration (baseline, routed, static skip-N), appended as each is answered
 * ({@link JsonlAppender}: torn last line repaired, file locked while a run writes it). A rerun with
 * the same settings reads the answers back and only answers the rest; the lines keep everything
 * the report and the static baseline's layer choice are computed from (timings, router logits), so
 * the resumed report equals an uninterrupted one.
 */
public final class EvalProgress implements AutoCloseable {
    public static final String FORMAT = "drllm-eval-progress/1";

    /**
     * What every answer in the file was computed with. Files are compared by content (SHA-256 /
     * checkpoint fingerprint), not by path, so a moved model or data file still resumes.
     */
    public record Header(String task, String model, String modelFingerprint, int numLayers, String routers, String routersFingerprint,
                         String data, String dataSha256, int questions, String promptStyle, float skipBias, float repeatBias,
                         Integer skipN, List<Integer> skipLayers, String device) {
        public Header {
            skipLayers = skipLayers == null ? null : List.copyOf(skipLayers);
        }

        public ObjectNode toJson() {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("format", FORMAT);
            o.put("task", task);
            o.put("model", model);
            o.put("model_fingerprint", modelFingerprint);
            o.put("num_layers", numLayers);
            o.put("routers", routers);
            o.put("routers_fingerprint", routersFingerprint);
            o.put("data", data);
            o.put("data_sha256", dataSha256);
            o.put("questions", questions);
            o.put("prompt_style", promptStyle);
            o.put("skip_bias", skipBias);
            o.put("repeat_bias", repeatBias);
            if (skipN == null) o.putNull("skip_n");
            else o.put("skip_n", skipN);
            if (skipLayers == null) {
                o.putNull("skip_layers");
            } else {
                ArrayNode a = o.putArray("skip_layers");
                skipLayers.forEach(a::add);
            }
            o.put("device", device);
            return o;
        }

        static Header fromJson(JsonNode o, Path file, long line) {
            if (o == null || !o.isObject() || !o.has("format")) {
                throw new DatasetException(file, line, "not a drllm eval progress file (its first line has no 'format' field)");
            }
            JsonFields f = JsonFields.of(o, file, line);
            String format = f.textOrNumber("format");
            if (!FORMAT.equals(format)) throw f.fault("format '" + format + "' is not " + FORMAT);
            List<Integer> layers = null;
            if (f.has("skip_layers")) {
                layers = new ArrayList<>();
                for (int l : f.ints("skip_layers", Integer.MAX_VALUE)) {
                    if (l < 0) throw f.fault("'skip_layers' must hold non-negative layers, found " + l);
                    layers.add(l);
                }
            }
            return new Header(f.text("task"), f.text("model"), f.text("model_fingerprint"), f.nonNegativeInt("num_layers"),
                    f.optText("routers"), f.optText("routers_fingerprint"), f.text("data"), f.text("data_sha256"),
                    f.nonNegativeInt("questions"), f.text("prompt_style"), f.finiteFloat("skip_bias"), f.finiteFloat("repeat_bias"),
                    f.has("skip_n") ? f.nonNegativeInt("skip_n") : null, layers, f.text("device"));
        }

        /**
         * The first setting in which {@code existing} (the file's) differs from this run, as
         * "SETTING X (this run: Y)"; null when they are the same run.
         */
        public String difference(Header existing) {
            if (!task.equals(existing.task)) return "--task " + existing.task + " (this run: " + task + ")";
            if (!modelFingerprint.equals(existing.modelFingerprint) || numLayers != existing.numLayers) {
                return "--model " + existing.model + ", fingerprint " + existing.modelFingerprint + " (this run: " + model + ", " + modelFingerprint + ")";
            }
            if (!Objects.equals(routersFingerprint, existing.routersFingerprint)) {
                return "--routers " + routersText(existing) + " (this run: " + routersText(this) + ")";
            }
            if (!dataSha256.equals(existing.dataSha256)) {
                return "--data " + existing.data + ", sha256 " + existing.dataSha256 + " (this run: " + data + ", " + dataSha256 + ")";
            }
            if (questions != existing.questions) return "--limit: " + existing.questions + " questions (this run: " + questions + ")";
            if (!promptStyle.equals(existing.promptStyle)) return "--prompt-style " + existing.promptStyle + " (this run: " + promptStyle + ")";
            if (skipBias != existing.skipBias || repeatBias != existing.repeatBias) {
                return "--route-bias skip=" + existing.skipBias + ",repeat=" + existing.repeatBias + " (this run: skip=" + skipBias + ",repeat=" + repeatBias + ")";
            }
            if (!Objects.equals(skipN, existing.skipN)) return "--skip-n " + orDefault(existing.skipN) + " (this run: " + orDefault(skipN) + ")";
            if (!Objects.equals(skipLayers, existing.skipLayers)) {
                return "--skip-layers " + orDefault(existing.skipLayers) + " (this run: " + orDefault(skipLayers) + ")";
            }
            if (!device.equals(existing.device)) return "--device " + existing.device + " (this run: " + device + ")";
            return null;
        }

        private static String routersText(Header h) {
            return h.routers == null ? "none" : h.routers + ", fingerprint " + h.routersFingerprint;
        }

        private static String orDefault(Object v) {
            return v == null ? "unset" : v.toString();
        }
    }

    /** A rerun whose settings differ from those the progress file was made with. */
    public static final class MismatchException extends IllegalArgumentException {
        private final Path file;
        private final String difference;

        MismatchException(Path file, String difference) {
            super(file + " was made with " + difference);
            this.file = file;
            this.difference = difference;
        }

        public Path file() { return file; }

        public String difference() { return difference; }
    }

    private final JsonlAppender out;
    private final Header header;
    /** configuration → question index → answer read back from the file. */
    private final Map<String, Map<Integer, Evaluator.Outcome>> done;

    private EvalProgress(JsonlAppender out, Header header, Map<String, Map<Integer, Evaluator.Outcome>> done) {
        this.out = out;
        this.header = header;
        this.done = done;
    }

    /**
     * Opens {@code file} for appending: a new (or empty) file gets {@code header}; an existing one
     * must carry the same settings ({@link MismatchException} otherwise), and its answers, checked
     * against {@code questions}, are read back.
     */
    public static EvalProgress open(Path file, Header header, List<Question> questions) {
        List<JsonlAppender.Line> lines = new ArrayList<>();
        JsonlAppender a = JsonlAppender.open(file, lines, "drllm eval");
        try {
            Map<String, Map<Integer, Evaluator.Outcome>> done = new LinkedHashMap<>();
            if (lines.isEmpty()) {
                a.append(header.toJson());
            } else {
                Header existing = Header.fromJson(lines.getFirst().json(), file, lines.getFirst().number());
                String diff = header.difference(existing);
                if (diff != null) throw new MismatchException(file, diff);
                Map<Integer, Question> byIndex = new HashMap<>();
                for (Question q : questions) byIndex.put(q.index(), q);
                for (JsonlAppender.Line l : lines.subList(1, lines.size())) {
                    JsonNode o = l.json();
                    if (o.isObject() && o.has("format")) throw new DatasetException(file, l.number(), "a second header line (files concatenated?)");
                    String config = JsonFields.of(o, file, l.number()).text("config");
                    Evaluator.Outcome out = outcome(o, header.numLayers(), file, l.number());
                    Question q = byIndex.get(out.index());
                    if (q == null) throw new DatasetException(file, l.number(), "question index " + out.index() + " is not among this run's questions");
                    if (!q.id().equals(out.id())) {
                        throw new DatasetException(file, l.number(), "question " + out.index() + " has id '" + out.id() + "' but the data has '" + q.id() + "'");
                    }
                    if (done.computeIfAbsent(config, k -> new HashMap<>()).put(out.index(), out) != null) {
                        throw new DatasetException(file, l.number(), "question " + out.index() + " of '" + config + "' is there twice");
                    }
                }
            }
            return new EvalProgress(a, header, done);
        } catch (RuntimeException e) {
            a.close();
            throw e;
        }
    }

    /** The header of an existing progress (or shard) file, without opening it for writing. */
    public static Header readHeader(Path file) {
        List<JsonlAppender.Line> lines = JsonlAppender.readAll(file, true);
        if (lines.isEmpty()) throw new DatasetException(file, 0, "empty: not a drllm eval progress file");
        return Header.fromJson(lines.getFirst().json(), file, lines.getFirst().number());
    }

    public Path file() { return out.file(); }

    public Header header() { return header; }

    /** The configurations the file holds answers of, in the order they first appear. */
    public List<String> configurations() { return List.copyOf(done.keySet()); }

    /** The answers of {@code config} already in the file, by question index (empty when none). */
    public Map<Integer, Evaluator.Outcome> done(String config) {
        return Map.copyOf(done.getOrDefault(config, Map.of()));
    }

    /** Appends one answer of {@code config} and flushes it to the file. */
    public void append(String config, Evaluator.Outcome o) {
        out.append(toJson(config, o));
    }

    @Override
    public void close() {
        out.close();
    }

    static ObjectNode toJson(String config, Evaluator.Outcome q) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("config", config);
        o.put("index", q.index());
        o.put("id", q.id());
        o.put("level", q.level());
        o.put("correct", q.correct());
        o.put("reply", q.reply());
        ArrayNode p = o.putArray("path");
        for (int l : q.path()) p.add(l);
        ArrayNode d = o.putArray("decisions");
        for (int c : q.decisions()) d.add(c);
        o.put("layer_executions", q.layerExecutions());
        o.put("new_tokens", q.newTokens());
        o.put("decode_steps", q.decodeSteps());
        o.put("prefill_ms", q.prefillMs());
        o.put("decode_ms", q.decodeMs());
        if (q.decisionLogits() != null) {
            // float → JSON (shortest decimal that reads back as the same float) → the same float:
            // the static baseline ranks layers by these, so a resumed run must see the same bits
            ArrayNode z = o.putArray("decision_logits");
            for (float[] row : q.decisionLogits()) {
                ArrayNode r = z.addArray();
                for (float v : row) r.add(v);
            }
        }
        return o;
    }

    static Evaluator.Outcome outcome(JsonNode o, int numLayers, Path file, long line) {
        JsonFields f = JsonFields.of(o, file, line);
        int[] path = f.ints("path", 2 * numLayers);
        try {
            LayerPath.validate(numLayers, path);
        } catch (IllegalArgumentException e) {
            throw f.fault("'path': " + e.getMessage());
        }
        int[] decisions = f.ints("decisions", numLayers);
        if (decisions.length != numLayers) throw f.fault("'decisions' must have " + numLayers + " entries, found " + decisions.length);
        float[][] logits = null;
        if (f.has("decision_logits")) {
            JsonNode z = f.array("decision_logits");
            if (z.size() != numLayers) throw f.fault("'decision_logits' must be " + numLayers + " rows");
            logits = new float[numLayers][];
            // one logit per router class (skip, execute, repeat), each finite as a float: StaticSkip
            // ranks layers by all three, and 1e39 would rank them by infinities
            for (int l = 0; l < numLayers; l++) logits[l] = f.finiteFloats(z.get(l), "decision_logits[" + l + "]", 3);
        }
        return new Evaluator.Outcome(f.nonNegativeInt("index"), f.text("id"), f.nonNegativeInt("level"), f.bool("correct"),
                f.text("reply"), path, decisions, f.nonNegativeLong("layer_executions"), f.nonNegativeInt("new_tokens"),
                f.nonNegativeInt("decode_steps"), f.finite("prefill_ms"), f.finite("decode_ms"), logits);
    }

    /** SHA-256 of a file's bytes, hex. */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }
}
