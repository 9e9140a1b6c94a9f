package dev.drllm.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.Fixtures;
import dev.drllm.model.Model;
import dev.drllm.routing.Routers;
import dev.drllm.runtime.Backend;
import dev.drllm.runtime.Backends;
import dev.drllm.runtime.Generator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.drllm.util.DatasetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** An evaluation stopped after some answers (and left with a torn last line) resumes to the report of an uninterrupted run. */
class EvalResumeTest {
    static final int QUESTIONS = 8;
    static Model model;
    static Backend backend;
    static Evaluator ev;
    static EvalJob.Settings settings;
    static List<Question> questions;
    static JsonNode whole;

    @TempDir Path tmp;

    @BeforeAll
    static void uninterrupted() {
        model = Model.load(Fixtures.tinyModel());
        backend = Backends.open(model, "cpu");
        ev = new Evaluator(new Generator(backend), dev.drllm.tokenizer.Tokenizer.load(Fixtures.tinyModel()), model.stopTokens(), Prompts.Style.BASE);
        int L = model.config().numLayers();
        Routers routers = Routers.load(Fixtures.tinyModel().resolve("routers.safetensors"), model.config());
        settings = new EvalJob.Settings(Task.DART, L, routers, "routers.safetensors", 0, 0, null, null);
        questions = Datasets.load(Fixtures.projectDir().resolve("data/tasks/dart-test.jsonl"), Task.DART).subList(0, QUESTIONS);
        whole = comparable(EvalJob.run(ev, settings, questions, "tiny", "dart-test", null, null));
    }

    @AfterAll
    static void close() {
        backend.close();
        model.close();
    }

    static EvalProgress.Header header(float skipBias) {
        return new EvalProgress.Header("dart", "tiny", "fp", model.config().numLayers(), "routers.safetensors", "rfp", "dart-test.jsonl",
                "sha", QUESTIONS, "base", skipBias, 0, null, null, "cpu");
    }

    /** The report JSON without the wall-clock fields, which differ between any two runs. */
    static JsonNode comparable(EvalReport r) {
        ObjectNode j = r.json();
        j.get("summaries").forEach(s -> ((ObjectNode) s).remove(List.of("decode_tokens_per_second", "avg_prefill_ms")));
        return j;
    }

    /** A progress display that fails after {@code n} answers of this process, as a crash or Ctrl-C would stop it. */
    static EvalJob.Progress stopAfter(int n) {
        int[] answered = {0};
        return (name, total, done) -> o -> {
            if (++answered[0] == n) throw new IllegalStateException("stopped");
        };
    }

    @Test
    void stoppedRunsResumeToTheUninterruptedReport() throws Exception {
        // baseline has 8 answers, routed the next 8 and the static baseline the last 8: stop inside each
        for (int stop : new int[]{3, 11, 21}) {
            Path file = tmp.resolve("stop" + stop + ".progress.jsonl");
            try (EvalProgress p = EvalProgress.open(file, header(0), questions)) {
                assertThrows(IllegalStateException.class, () -> EvalJob.run(ev, settings, questions, "tiny", "dart-test", p, stopAfter(stop)));
            }
            assertEquals(1 + stop, Files.readAllLines(file).size(), "the header and every answer made before the stop");
            // a kill while a line was being written
            Files.writeString(file, "{\"config\":\"routed\",\"index\":3,\"id\":\"te", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            int[] reused = {0}, answered = {0};
            EvalReport r;
            try (EvalProgress p = EvalProgress.open(file, header(0), questions)) {
                r = EvalJob.run(ev, settings, questions, "tiny", "dart-test", p, (name, total, done) -> {
                    reused[0] += done.size();
                    return o -> answered[0]++;
                });
            }
            assertEquals(stop, reused[0], "the answers made before the stop are reused");
            assertEquals(3 * QUESTIONS - stop, answered[0], "only the rest is answered");
            assertEquals(whole, comparable(r), "stopped after " + stop + " answers + resumed = uninterrupted");
            assertEquals(1 + 3 * QUESTIONS, Files.readAllLines(file).size(), "every answer once, no torn line left");
            // all answered: a further rerun answers nothing and reports the same
            try (EvalProgress p = EvalProgress.open(file, header(0), questions)) {
                r = EvalJob.run(ev, settings, questions, "tiny", "dart-test", p, stopAfter(1));
            }
            assertEquals(whole, comparable(r));
        }
    }

    @Test
    void otherSettingsAreRefusedNamingTheFileAndSetting() {
        Path file = tmp.resolve("x.progress.jsonl");
        EvalProgress.open(file, header(0), questions).close();
        EvalProgress.MismatchException e = assertThrows(EvalProgress.MismatchException.class, () -> EvalProgress.open(file, header(0.5f), questions));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("--route-bias skip=0.0,repeat=0.0 (this run: skip=0.5,repeat=0.0)"), e.getMessage());
        var h = header(0);
        var other = new EvalProgress.Header(h.task(), h.model(), h.modelFingerprint(), h.numLayers(), h.routers(), h.routersFingerprint(),
                h.data(), h.dataSha256(), 5, h.promptStyle(), 0, 0, null, null, h.device());
        assertTrue(assertThrows(EvalProgress.MismatchException.class, () -> EvalProgress.open(file, other, questions.subList(0, 5)))
                .difference().startsWith("--limit"));
    }

    @Test
    void answersOfQuestionsNotInThisRunAreRefused() throws Exception {
        Path file = tmp.resolve("y.progress.jsonl");
        try (EvalProgress p = EvalProgress.open(file, header(0), questions)) {
            p.append("baseline", EvalReportTest.outcome(QUESTIONS + 5, 1, true, new int[16], 0, 0));
        }
        DatasetException e = assertThrows(DatasetException.class, () -> EvalProgress.open(file, header(0), questions));
        assertEquals(2, e.line());
    }

    /** Router logits read back must be what StaticSkip ranks layers by: three finite floats per layer. */
    @Test
    void malformedRouterLogitsAreRefusedNamingTheLine() throws Exception {
        int L = 4;
        var o = new Evaluator.Outcome(0, "q", 0, true, "A", new int[]{0, 1, 2, 3}, new int[]{1, 1, 1, 1}, 4, 1, 1, 1, 1, new float[L][3]);
        for (String row : new String[]{"[0.5]", "[0.5, 1, 2, 3]", "[1e39, 0, 0]", "[0, \"x\", 0]"}) {
            ObjectNode j = EvalProgress.toJson("routed", o);
            ((com.fasterxml.jackson.databind.node.ArrayNode) j.get("decision_logits")).set(2, dev.drllm.util.Json.MAPPER.readTree(row));
            DatasetException e = assertThrows(DatasetException.class, () -> EvalProgress.outcome(j, L, Path.of("p.jsonl"), 7), row);
            assertTrue(e.getMessage().startsWith("p.jsonl:7: 'decision_logits[2]"), e.getMessage());
        }
    }

    @Test
    void answerLinesReadBackExactly() {
        Random rnd = new Random(6);
        for (int trial = 0; trial < 2000; trial++) {
            int L = 16;
            int[] counts = new int[L];
            for (int l = 0; l < L; l++) counts[l] = rnd.nextInt(3);
            float[][] logits = new float[L][3];
            for (float[] row : logits) {
                for (int k = 0; k < 3; k++) {
                    // any finite float (every exponent and mantissa), and the router-logit-like range
                    float v = Float.intBitsToFloat(rnd.nextInt());
                    row[k] = k == 0 && Float.isFinite(v) ? v : (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(12) - 6));
                }
            }
            var p = dev.drllm.runtime.LayerPath.fromCounts(counts);
            var o = new Evaluator.Outcome(trial, "id\"" + trial, rnd.nextInt(6), rnd.nextBoolean(), "reply \u00e9\n" + rnd.nextInt(), p.layers(), counts,
                    rnd.nextLong(1L << 40), rnd.nextInt(30), rnd.nextInt(30), rnd.nextDouble() * 1e3, rnd.nextDouble() * 1e4, trial % 5 == 0 ? null : logits);
            var back = EvalProgress.outcome(EvalProgress.toJson("c", o), L, Path.of("f"), 1);
            assertEquals(o.index(), back.index());
            assertEquals(o.id(), back.id());
            assertEquals(o.level(), back.level());
            assertEquals(o.correct(), back.correct());
            assertEquals(o.reply(), back.reply());
            assertArrayEquals(o.path(), back.path());
            assertArrayEquals(o.decisions(), back.decisions());
            assertEquals(o.layerExecutions(), back.layerExecutions());
            assertEquals(o.newTokens(), back.newTokens());
            assertEquals(o.decodeSteps(), back.decodeSteps());
            assertEquals(o.prefillMs(), back.prefillMs());
            assertEquals(o.decodeMs(), back.decodeMs());
            if (o.decisionLogits() == null) assertNull(back.decisionLogits());
            else for (int l = 0; l < L; l++) assertArrayEquals(o.decisionLogits()[l], back.decisionLogits()[l]);
        }
    }
}
