package dev.drllm.mcts;

import dev.drllm.util.DatasetException;
import dev.drllm.eval.Question;
import dev.drllm.eval.Task;
import dev.drllm.runtime.LayerPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class MctsJobTest {
    @TempDir Path dir;

    static final int L = 10;

    static List<Question> questions(int n) {
        List<Question> qs = new ArrayList<>();
        for (int i = 0; i < n; i++) qs.add(new Question(Task.DART, i, "q" + i, "What is " + i + "?", List.of(), Integer.toString(i), 1 + i % 5));
        return qs;
    }

    /** A stub reward: a fixed pseudo-random function of (question, path); about half the questions are right at full depth. */
    static boolean reward(Question q, LayerPath p) {
        return new SplittableRandom(p.hashCode() * 31L + q.index()).nextDouble() < 0.45;
    }

    /** A worker that fails (like a killed process) once {@code killAfter} questions have been opened in total. */
    static MctsJob.Worker worker(AtomicInteger opened, int killAfter) {
        return q -> {
            if (opened.incrementAndGet() > killAfter) throw new IllegalStateException("killed");
            return new QuestionEvaluator() {
                @Override public boolean correct(LayerPath path) { return reward(q, path); }
                @Override public String reply(LayerPath path) { return reward(q, path) ? q.gold() + "}" : "x}"; }
            };
        };
    }

    static MctsJob.Settings settings(int threads) {
        return new MctsJob.Settings(Task.DART, "test-model", L, MctsConfig.paper(), 42, threads);
    }

    static List<String> canonical(List<MctsRecord> rs) {
        return rs.stream().sorted(Comparator.comparingInt(MctsRecord::index))
                .map(r -> { var o = r.toJson(); o.remove("seconds"); return o.toString(); }).toList();
    }

    private List<MctsRecord> runUntilDone(Path out, List<Question> all, int threads, int killAfter) {
        List<MctsRecord> existing = new ArrayList<>();
        try (MctsOutput o = MctsOutput.openForAppend(out, existing)) {
            List<Question> todo = MctsJob.pending(all, existing, settings(threads), out);
            AtomicInteger opened = new AtomicInteger();
            MctsJob.run(todo, settings(threads), () -> worker(opened, killAfter), o, r -> {});
        }
        return MctsOutput.readAll(out, false);
    }

    @Test
    void resumeAfterAnInterruptedRunLosesAndDuplicatesNothing() throws IOException {
        List<Question> all = questions(25);
        List<MctsRecord> reference = runUntilDone(dir.resolve("ref.jsonl"), all, 1, Integer.MAX_VALUE);
        assertEquals(25, reference.size());

        Path out = dir.resolve("out.jsonl");
        assertThrows(IllegalStateException.class, () -> runUntilDone(out, all, 3, 9));
        int afterKill = MctsOutput.readAll(out, false).size();
        assertTrue(afterKill >= 6 && afterKill <= 9, "finished questions were written before the failure: " + afterKill);
        // a kill in the middle of a write leaves a torn last line
        Files.writeString(out, "{\"task\":\"dart\",\"index\":24,\"id\":\"q2", StandardOpenOption.APPEND);
        assertThrows(DatasetException.class, () -> MctsOutput.readAll(out, false));
        List<MctsRecord> resumed = runUntilDone(out, all, 2, Integer.MAX_VALUE);
        assertEquals(25, resumed.size());
        assertEquals(25, resumed.stream().mapToInt(MctsRecord::index).distinct().count(), "no duplicates");
        assertEquals(canonical(reference), canonical(resumed), "same records as an uninterrupted single-thread run");
        assertTrue(Files.readString(out, StandardCharsets.UTF_8).endsWith("\n"));
        // running again finds nothing to do
        List<MctsRecord> existing = new ArrayList<>();
        try (MctsOutput o = MctsOutput.openForAppend(out, existing)) {
            assertTrue(MctsJob.pending(all, existing, settings(2), out).isEmpty());
        }
    }

    @Test
    void aSecondWriterIsRefused() {
        Path out = dir.resolve("locked.jsonl");
        try (MctsOutput first = MctsOutput.openForAppend(out, new ArrayList<>())) {
            assertThrows(IllegalArgumentException.class, () -> MctsOutput.openForAppend(out, new ArrayList<>()));
        }
        try (MctsOutput again = MctsOutput.openForAppend(out, new ArrayList<>())) {
            assertNotNull(again);
        }
    }

    @Test
    void resumeRefusesAFileFromAnotherRun() {
        List<Question> all = questions(4);
        Path out = dir.resolve("o.jsonl");
        runUntilDone(out, all, 1, Integer.MAX_VALUE);
        List<MctsRecord> existing = MctsOutput.readAll(out, false);
        var other = new MctsJob.Settings(Task.DART, "test-model", L, MctsConfig.paper(), 7, 1);
        assertThrows(IllegalArgumentException.class, () -> MctsJob.pending(all, existing, other, out));
        var arc = new MctsJob.Settings(Task.ARC, "test-model", L, MctsConfig.paper(), 42, 1);
        assertThrows(IllegalArgumentException.class, () -> MctsJob.pending(all, existing, arc, out));
        assertThrows(IllegalArgumentException.class, () -> MctsJob.pending(questions(2), existing, settings(1), out));
    }

    @Test
    void recordsCarryLabelsAndRoundTrip() {
        List<MctsRecord> rs = runUntilDone(dir.resolve("r.jsonl"), questions(12), 2, Integer.MAX_VALUE);
        for (MctsRecord r : rs) {
            if (r.solved()) {
                int[] lab = r.labels();
                assertEquals(L, lab.length);
                assertEquals(r.bestPath().size(), java.util.Arrays.stream(lab).sum());
                assertEquals(LayerPath.fromCounts(lab), LayerPath.of(L, r.bestPath().stream().mapToInt(Integer::intValue).toArray()));
                assertTrue(r.goodPaths().contains(r.bestPath()));
            } else {
                assertNull(r.labels());
                assertTrue(r.goodPaths().isEmpty());
            }
            assertEquals(r.fixed(), !r.originalCorrect() && r.solved());
        }
    }
}
