package dev.drllm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.eval.Datasets;
import dev.drllm.eval.Evaluator;
import dev.drllm.eval.Prompts;
import dev.drllm.eval.Question;
import dev.drllm.eval.Rewards;
import dev.drllm.eval.Task;
import dev.drllm.gguf.GgufTokenizer;
import dev.drllm.model.Model;
import dev.drllm.runtime.Backend;
import dev.drllm.runtime.Backends;
import dev.drllm.runtime.KvCache;
import dev.drllm.runtime.LayerPath;
import dev.drllm.runtime.PathExecutor;
import dev.drllm.runtime.Sampler;
import dev.drllm.tokenizer.Tokenizer;
import dev.drllm.util.Json;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * drllm's side of the task-answer agreement check with llama.cpp (bench/llamacpp-answers.sh,
 * docs/results/quantized-agreement.md).
 *
 * <p>{@code trace MODEL TASK DATA LIMIT OUT.jsonl PROMPTS.tsv}: answers the first LIMIT questions
 * greedily along every layer, exactly as {@code drllm eval}'s baseline does (the eval's base prompt
 * tokenised alone without special tokens, prefill then one decode step per token through the KV
 * cache, the model's stop tokens, the task's token budget), and records at every step the top
 * logits. PROMPTS.tsv is what the llama.cpp driver reads: index, token budget, stop ids, prompt ids,
 * prompt text (hex UTF-8).
 *
 * <p>{@code compare LABEL MODEL TASK DATA DRLLM.jsonl LLAMA.jsonl [EVAL.json]}: prints one Markdown row and a
 * list of the disagreements: prompt tokenisation agreement, identical replies, identical extracted
 * answers, each engine's accuracy, and for each disagreement the first step where the engines part
 * with both engines' logit margins there, against the spread of the engines' logit differences over
 * all the steps where they agree. With EVAL.json (a {@code drllm eval} report on the same file) it
 * also checks that the traced replies are the eval's baseline replies.
 *
 * <p>{@code fixture MODEL DIR FIRST MAX_DIFFERENT LLAMA_CPP_VERSION OUT.json}: the test suite's expected
 * llama.cpp answers ({@code GgufTaskAgreementTest}): from DIR/{arc,dart}.llamacpp.jsonl, the first FIRST
 * questions of each task and up to MAX_DIFFERENT more where llama.cpp's reply differs from drllm's, with
 * the GGUF file's SHA-256 (the test writes the file again and checks it is the same).
 */
public final class AnswerTrace {
    static final int TOP = 8;

    public static void main(String[] args) throws IOException {
        if (args.length >= 1 && args[0].equals("trace") && args.length == 7) {
            trace(Path.of(args[1]), Task.parse(args[2]), Path.of(args[3]), Integer.parseInt(args[4]), Path.of(args[5]), Path.of(args[6]));
        } else if (args.length >= 1 && args[0].equals("compare") && (args.length == 7 || args.length == 8)) {
            compare(args[1], Path.of(args[2]), Task.parse(args[3]), Path.of(args[4]), Path.of(args[5]), Path.of(args[6]), args.length == 8 ? Path.of(args[7]) : null);
        } else if (args.length == 7 && args[0].equals("fixture")) {
            fixture(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]), args[5], Path.of(args[6]));
        } else {
            System.err.println("usage: AnswerTrace trace MODEL TASK DATA LIMIT OUT.jsonl PROMPTS.tsv\n"
                    + "       AnswerTrace compare LABEL MODEL TASK DATA DRLLM.jsonl LLAMA.jsonl [EVAL.json]\n"
                    + "       AnswerTrace fixture MODEL DIR FIRST MAX_DIFFERENT LLAMA_CPP_VERSION OUT.json");
            System.exit(2);
        }
    }

    static void trace(Path modelPath, Task task, Path data, int limit, Path out, Path prompts) throws IOException {
        List<Question> qs = Datasets.load(data, task);
        qs = qs.subList(0, Math.min(limit, qs.size()));
        try (Model m = Model.load(modelPath); Backend b = Backends.open(m, "cpu");
             BufferedWriter w = Files.newBufferedWriter(out); BufferedWriter p = Files.newBufferedWriter(prompts)) {
            Tokenizer tok = GgufTokenizer.forModel(modelPath);
            PathExecutor ex = new PathExecutor(b);
            int L = m.config().numLayers(), vocab = m.config().vocabSize();
            LayerPath full = LayerPath.full(L);
            Set<Integer> stops = m.stopTokens();
            String stopList = String.join(",", stops.stream().sorted().map(String::valueOf).toList());
            long t0 = System.nanoTime();
            for (Question q : qs) {
                String text = Prompts.base(q);
                int[] prompt = Evaluator.promptIds(tok, q, Prompts.Style.BASE);
                int budget = task.maxNewTokens();
                List<Integer> ids = new ArrayList<>();
                ArrayNode top = Json.MAPPER.createArrayNode();
                // the loop of Generator.generate (greedy), keeping each step's logits
                try (KvCache cache = b.newCache(2 * L, prompt.length + Math.max(budget, 1))) {
                    float[] logits = ex.forward(prompt, full, cache, true);
                    while (ids.size() < budget) {
                        int off = logits.length - vocab;
                        int next = Sampler.argmax(logits, off, vocab);
                        top.add(topLogits(logits, off, vocab));
                        ids.add(next);
                        if (stops.contains(next) || ids.size() == budget) break;
                        logits = ex.forward(new int[]{next}, full, cache, true);
                    }
                }
                int[] gen = ids.stream().mapToInt(Integer::intValue).toArray();
                String reply = tok.decode(gen, true);
                ObjectNode o = Json.MAPPER.createObjectNode();
                o.put("index", q.index()).put("id", q.id()).put("prompt", text);
                o.set("prompt_ids", ints(prompt));
                o.set("ids", ints(gen));
                o.put("reply", reply).put("answer", answer(q, reply)).put("correct", Rewards.correct(q, reply, true));
                o.set("top", top);
                w.write(Json.MAPPER.writeValueAsString(o));
                w.newLine();
                p.write(q.index() + "\t" + budget + "\t" + stopList + "\t" + join(prompt) + "\t"
                        + HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8)));
                p.newLine();
                if ((q.index() + 1) % 100 == 0) {
                    System.err.printf(Locale.ROOT, "drllm trace %s %s: %d/%d questions, %.1f s%n", modelPath.getFileName(), task.id(),
                            q.index() + 1, qs.size(), (System.nanoTime() - t0) / 1e9);
                }
            }
        }
    }

    static void fixture(Path modelPath, Path dir, int first, int maxDifferent, String llamaVersion, Path out) throws IOException {
        ObjectNode root = Json.MAPPER.createObjectNode();
        byte[] sha;
        try (var in = Files.newInputStream(modelPath)) {
            var md = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            sha = md.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        root.put("file", modelPath.getFileName().toString()).put("sha256", HexFormat.of().formatHex(sha)).put("llama_cpp", llamaVersion);
        for (Task task : Task.values()) {
            List<JsonNode> d = readLines(dir.resolve(task.id() + ".drllm.jsonl")), l = readLines(dir.resolve(task.id() + ".llamacpp.jsonl"));
            ArrayNode qs = root.putArray(task.id());
            int different = 0;
            for (int i = 0; i < l.size(); i++) {
                boolean differs = !d.get(i).get("ids").equals(l.get(i).get("ids"));
                if (i >= first && !(differs && different < maxDifferent)) continue;
                if (differs) different++;
                ObjectNode o = qs.addObject();
                o.put("index", l.get(i).get("index").asInt()).put("id", d.get(i).get("id").asText());
                o.set("tok_ids", l.get(i).get("tok_ids"));
                o.set("ids", l.get(i).get("ids"));
                o.put("reply", new String(HexFormat.of().parseHex(l.get(i).get("text_hex").asText()), StandardCharsets.UTF_8));
            }
        }
        Files.writeString(out, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
    }

    /** The answer the grader extracts: the ARC letter, or the DART boxed content (the base prompt opened the box). */
    static String answer(Question q, String reply) {
        return q.task() == Task.ARC ? Rewards.arcLetter(reply) : Rewards.lastBoxed("\\boxed{" + reply);
    }

    static ArrayNode topLogits(float[] logits, int off, int n) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        // descending logit, ties to the lower id (the argmax's choice first)
        Arrays.sort(order, (x, y) -> logits[off + x] != logits[off + y] ? Float.compare(logits[off + y], logits[off + x]) : Integer.compare(x, y));
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (int i = 0; i < Math.min(TOP, n); i++) a.add(Json.MAPPER.createArrayNode().add(order[i]).add(logits[off + order[i]]));
        return a;
    }

    static ArrayNode ints(int[] v) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (int x : v) a.add(x);
        return a;
    }

    static String join(int[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) sb.append(i > 0 ? "," : "").append(v[i]);
        return sb.toString();
    }

    static int[] intArray(JsonNode a) {
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) v[i] = a.get(i).asInt();
        return v;
    }

    static Map<Integer, Float> topMap(JsonNode step) {
        Map<Integer, Float> m = new LinkedHashMap<>();
        for (JsonNode e : step) m.put(e.get(0).asInt(), (float) e.get(1).asDouble());
        return m;
    }

    static List<JsonNode> readLines(Path f) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(f)) if (!line.isBlank()) out.add(Json.MAPPER.readTree(line));
        return out;
    }

    static void compare(String label, Path modelPath, Task task, Path data, Path drllmFile, Path llamaFile, Path evalJson) throws IOException {
        List<Question> qs = Datasets.load(data, task);
        List<JsonNode> d = readLines(drllmFile), l = readLines(llamaFile);
        if (d.size() != l.size()) throw new IllegalStateException(drllmFile + " has " + d.size() + " questions, " + llamaFile + " " + l.size());
        Map<Integer, String> evalReplies = new LinkedHashMap<>();
        if (evalJson != null) {
            for (JsonNode o : Json.MAPPER.readTree(evalJson.toFile()).path("questions").path("baseline")) evalReplies.put(o.get("index").asInt(), o.get("reply").asText());
        }
        Tokenizer tok = GgufTokenizer.forModel(modelPath);
        int n = d.size(), sameTok = 0, sameIds = 0, sameReply = 0, sameAnswer = 0, dOk = 0, lOk = 0, evalSame = 0, evalSeen = 0;
        List<Double> dev = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            JsonNode a = d.get(i), c = l.get(i);
            int index = a.get("index").asInt();
            if (c.get("index").asInt() != index) throw new IllegalStateException("question order differs at line " + (i + 1));
            Question q = qs.get(index);
            if (Arrays.equals(intArray(a.get("prompt_ids")), intArray(c.get("tok_ids")))) sameTok++;
            int[] da = intArray(a.get("ids")), la = intArray(c.get("ids"));
            String dReply = a.get("reply").asText();
            String lReply = new String(HexFormat.of().parseHex(c.get("text_hex").asText()), StandardCharsets.UTF_8);
            boolean lCorrect = Rewards.correct(q, lReply, true);
            String dAns = a.get("answer").isNull() ? null : a.get("answer").asText(), lAns = answer(q, lReply);
            if (a.get("correct").asBoolean()) dOk++;
            if (lCorrect) lOk++;
            if (dReply.equals(lReply)) sameReply++;
            if (java.util.Objects.equals(dAns, lAns)) sameAnswer++;
            if (evalReplies.containsKey(index)) {
                evalSeen++;
                if (evalReplies.get(index).equals(dReply)) evalSame++;
            }
            // the steps both engines ran on the same context: every step up to and including the first difference
            JsonNode dt = a.get("top"), lt = c.get("top");
            int k = 0;
            while (k < da.length && k < la.length && da[k] == la[k]) k++;
            for (int s = 0; s < Math.min(k, Math.min(dt.size(), lt.size())); s++) {
                Map<Integer, Float> dm = topMap(dt.get(s)), lm = topMap(lt.get(s));
                for (var e : dm.entrySet()) if (lm.containsKey(e.getKey())) dev.add((double) Math.abs(e.getValue() - lm.get(e.getKey())));
            }
            if (Arrays.equals(da, la)) {
                sameIds++;
                continue;
            }
            String note;
            if (k == da.length || k == la.length) {
                note = "one reply is a prefix of the other";
            } else {
                Map<Integer, Float> dm = topMap(dt.get(k)), lm = topMap(lt.get(k));
                int x = da[k], y = la[k];
                String dMargin = dm.containsKey(y) ? String.format(Locale.ROOT, "%.4f", dm.get(x) - dm.get(y)) : "> " + fmt(dm.get(x) - last(dm));
                String lMargin = lm.containsKey(x) ? String.format(Locale.ROOT, "%.4f", lm.get(y) - lm.get(x)) : "> " + fmt(lm.get(y) - last(lm));
                note = String.format(Locale.ROOT, "step %d: drllm %d (%s) vs llama.cpp %d (%s); drllm margin %s, llama.cpp margin %s",
                        k, x, quote(tok, x), y, quote(tok, y), dMargin, lMargin);
            }
            rows.add(String.format(Locale.ROOT, "- %s (%s): drllm %s → %s%s, llama.cpp %s → %s%s; %s", q.id(), label,
                    quote(dReply), dAns, a.get("correct").asBoolean() ? " ✓" : "", quote(lReply), lAns, lCorrect ? " ✓" : "", note));
        }
        double[] dv = dev.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "| %s | %s | %d | %d | %d | %d | %d | %.1f%% | %.1f%% | %s |%n", label, task.id(), n, sameTok, sameIds, sameReply, sameAnswer,
                100.0 * dOk / n, 100.0 * lOk / n,
                dv.length == 0 ? "–" : String.format(Locale.ROOT, "%.4f / %.4f / %.4f", pct(dv, 0.5), pct(dv, 0.99), dv[dv.length - 1]));
        if (evalJson != null) System.out.printf(Locale.ROOT, "- %s %s: traced replies equal to `drllm eval`'s baseline replies (%s): %d of %d%n", label, task.id(), evalJson, evalSame, evalSeen);
        for (String r : rows) System.out.println(r);
    }

    static float last(Map<Integer, Float> m) {
        float v = Float.NaN;
        for (float x : m.values()) v = x;
        return v;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    static double pct(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * (sorted.length - 1)))];
    }

    static String quote(String s) {
        return "`" + s.replace("\n", "\\n") + "`";
    }

    static String quote(Tokenizer t, int id) {
        return t == null ? "#" + id : quote(t.decode(new int[]{id}, false));
    }
}
