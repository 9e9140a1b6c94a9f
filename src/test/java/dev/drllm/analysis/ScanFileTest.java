package dev.drllm.analysis;

import dev.drllm.util.DatasetException;
import dev.drllm.eval.Question;
import dev.drllm.eval.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** The scan file: header, resume after a kill, refusal of another run's file, and the parallel job around it. */
class ScanFileTest {
    private static final int L = 4;
    @TempDir Path tmp;

    private static ScanHeader header(List<Integer> layers) {
        return new ScanHeader("arc", "m", "abc", L, 3, "base", layers, EditScan.candidates(L));
    }

    private static List<Question> questions(int n) {
        List<Question> qs = new ArrayList<>();
        for (int i = 0; i < n; i++) qs.add(new Question(Task.ARC, i, "id" + i, "q" + i, List.of("a", "b"), "A", 0));
        return qs;
    }

    /** A fake scanner: candidate c is right when (index + c) is even; the feature is the index. */
    private static ScanRecord fake(ScanHeader h, Question q) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < h.candidates().size(); c++) sb.append((q.index() + c) % 2 == 0 ? '1' : '0');
        Map<Integer, float[]> f = new java.util.LinkedHashMap<>();
        for (int l : h.featureLayers()) f.put(l, new float[]{q.index(), l, 0.5f});
        return new ScanRecord(h.task(), q.index(), q.id(), q.level(), sb.toString(), f, null);
    }

    private void runAll(Path out, ScanHeader h, List<Question> qs, int failAfter) {
        List<ScanRecord> existing = new ArrayList<>();
        AtomicInteger done = new AtomicInteger();
        try (ScanFile f = ScanFile.openForAppend(out, h, existing)) {
            List<Question> todo = EditScan.pending(qs, existing, out);
            EditScan.run(todo, 3, () -> q -> {
                if (done.incrementAndGet() > failAfter) throw new IllegalStateException("killed");
                return fake(h, q);
            }, f, r -> {});
        }
    }

    @Test
    void killedRunResumesWithoutLossOrDuplicates() throws Exception {
        Path out = tmp.resolve("scan.jsonl");
        ScanHeader h = header(List.of(1, 3));
        List<Question> qs = questions(20);
        assertThrows(IllegalStateException.class, () -> runAll(out, h, qs, 7));
        int partial = ScanFile.read(out, false).records().size();
        assertTrue(partial >= 7 - 3 && partial <= 7, "at most the questions in flight are lost: " + partial);
        // a kill in the middle of a write leaves half a line: it is dropped and recomputed
        Files.writeString(out, "{\"task\":\"arc\",\"index\":19,\"id\":\"id19\",\"corr", StandardOpenOption.APPEND);
        assertThrows(DatasetException.class, () -> ScanFile.read(out, false));
        assertEquals(partial, ScanFile.read(out, true).records().size());
        runAll(out, h, qs, Integer.MAX_VALUE);
        ScanFile.Scan s = ScanFile.read(out, false);
        assertEquals(h, s.header());
        assertEquals(20, s.records().size());
        assertEquals(20, s.records().stream().mapToInt(ScanRecord::index).distinct().count());
        for (ScanRecord r : s.records()) {
            assertEquals(fake(h, qs.get(r.index())).correct(), r.correct());
            assertArrayEquals(new float[]{r.index(), 3, 0.5f}, r.features().get(3));
        }
        long headers = Files.readAllLines(out).stream().filter(l -> l.contains("\"format\"")).count();
        assertEquals(1, headers, "a resumed run does not write the header again");
        runAll(out, h, qs, 0); // nothing left to do: the scanner is never asked
    }

    @Test
    void anotherRunsFileIsRefused() {
        Path out = tmp.resolve("scan.jsonl");
        runAll(out, header(List.of(1)), questions(3), Integer.MAX_VALUE);
        ScanHeader otherLayers = header(List.of(2));
        ScanHeader otherModel = new ScanHeader("arc", "m2", "def", L, 3, "base", List.of(1), EditScan.candidates(L));
        ScanHeader otherCandidates = new ScanHeader("arc", "m", "abc", L, 3, "base", List.of(1), EditScan.candidates(L).subList(0, 5));
        ScanHeader otherTask = new ScanHeader("dart", "m", "abc", L, 3, "base", List.of(1), EditScan.candidates(L));
        String[][] cases = {{"feature layers"}, {"another model"}, {"other candidate paths"}, {"task arc"}};
        ScanHeader[] hs = {otherLayers, otherModel, otherCandidates, otherTask};
        for (int i = 0; i < hs.length; i++) {
            ScanHeader h = hs[i];
            var e = assertThrows(IllegalArgumentException.class, () -> ScanFile.openForAppend(out, h, new ArrayList<>()));
            assertTrue(e.getMessage().contains(cases[i][0]) && e.getMessage().contains("use a new --out"), e.getMessage());
        }
        // other questions (another data file, or a smaller --limit) are refused too
        List<ScanRecord> existing = new ArrayList<>();
        try (ScanFile f = ScanFile.openForAppend(out, header(List.of(1)), existing)) {
            assertEquals(3, existing.size());
            var e = assertThrows(IllegalArgumentException.class, () -> EditScan.pending(questions(2), existing, out));
            assertTrue(e.getMessage().contains("not among"), e.getMessage());
            List<Question> renamed = new ArrayList<>(questions(3));
            renamed.set(1, new Question(Task.ARC, 1, "other", "q", List.of(), "A", 0));
            e = assertThrows(IllegalArgumentException.class, () -> EditScan.pending(renamed, existing, out));
            assertTrue(e.getMessage().contains("'other'"), e.getMessage());
        }
    }

    @Test
    void secondWriterIsRefusedWhileTheFileIsOpen() {
        Path out = tmp.resolve("scan.jsonl");
        try (ScanFile first = ScanFile.openForAppend(out, header(List.of()), new ArrayList<>())) {
            var e = assertThrows(IllegalArgumentException.class, () -> ScanFile.openForAppend(out, header(List.of()), new ArrayList<>()));
            assertTrue(e.getMessage().contains("another drllm edit-scan run"), e.getMessage());
        }
        try (ScanFile again = ScanFile.openForAppend(out, header(List.of()), new ArrayList<>())) {
            assertNotNull(again.file());
        }
    }

    @Test
    void badFilesNameTheLine() throws Exception {
        Path mcts = tmp.resolve("mcts.jsonl");
        Files.writeString(mcts, "{\"task\":\"arc\",\"index\":0}\n");
        var e = assertThrows(DatasetException.class, () -> ScanFile.read(mcts, true));
        assertTrue(e.getMessage().contains("not a drllm edit-scan file"), e.getMessage());
        assertThrows(DatasetException.class, () -> ScanFile.openForAppend(mcts, header(List.of()), new ArrayList<>()));

        Path out = tmp.resolve("scan.jsonl");
        runAll(out, header(List.of(1)), questions(2), Integer.MAX_VALUE);
        String good = Files.readString(out);
        String[] corruptions = {
                good.replaceFirst("\"correct\":\"[01]+\"", "\"correct\":\"101\""),
                good.replaceFirst("\"correct\":\"1", "\"correct\":\"x"),
                good.replaceFirst("\"features\":\\{\"1\":\\[[^]]*]", "\"features\":{\"1\":[1,2]"),
                good.replaceFirst("\"task\":\"arc\",\"index\"", "\"task\":\"dart\",\"index\""),
                good.replaceFirst("\"index\":0", "\"index\":-1"),
                good + new String(Files.readAllBytes(out), StandardCharsets.UTF_8).lines().findFirst().orElseThrow() + "\n",
                good.replaceFirst("\"num_layers\":4", "\"num_layers\":99999999"),
                good.replaceFirst("\"format\":\"drllm-edit-scan/1\"", "\"format\":\"drllm-edit-scan/9\""),
                good.replaceFirst("\"feature_layers\":\\[1]", "\"feature_layers\":[1,1]"),
                good.replaceFirst("\"candidates\":\\[\\[0,1,2,3]", "\"candidates\":[[0,1,3]"),
                good.replaceFirst("\"candidates\":\\[", "\"candidates\":[" + "[0,1,2,3],".repeat(4 * L)),
                good + good.lines().skip(1).findFirst().orElseThrow() + "\n",
                good.replaceFirst("\"index\":0,", "\"index\":0,\"level\":\"abc\","),
                good.replaceFirst("\"index\":0,", "\"index\":0,\"level\":2.7,"),
                good.replaceFirst("\"index\":0,", "\"index\":0,\"level\":-1,"),
        };
        for (String bad : corruptions) {
            assertNotEquals(good, bad);
            Files.writeString(out, bad);
            var ex = assertThrows(DatasetException.class, () -> ScanFile.read(out, false), bad);
            assertTrue(ex.getMessage().startsWith(out + ":"), ex.getMessage());
        }
    }

    /**
     * Seeded byte mutations of a valid scan file (flips, cuts, inserted JSON punctuation and huge
     * numbers): reading either succeeds or throws the typed DatasetException naming the file — never
     * another exception, whatever the resume file holds.
     */
    @Test
    void mutatedFilesFailWithTheTypedError() throws Exception {
        Path out = tmp.resolve("scan.jsonl");
        runAll(out, header(List.of(1, 2)), questions(3), Integer.MAX_VALUE);
        byte[] good = Files.readAllBytes(out);
        String[] inserts = {"{", "}", "[", "]", ",", "\"", ":", "\n", "null", "-1", "99999999999", "1e999", "\"format\":1", "\"x\""};
        java.util.Random rnd = new java.util.Random(11);
        Path f = tmp.resolve("mutated.jsonl");
        for (int iter = 0; iter < 400; iter++) {
            byte[] b = good.clone();
            for (int m = 1 + rnd.nextInt(3); m > 0; m--) {
                int at = rnd.nextInt(b.length);
                switch (rnd.nextInt(3)) {
                    case 0 -> b[at] = (byte) rnd.nextInt(128);
                    case 1 -> b = java.util.Arrays.copyOf(b, at);
                    default -> {
                        byte[] ins = inserts[rnd.nextInt(inserts.length)].getBytes(StandardCharsets.UTF_8);
                        byte[] n = new byte[b.length + ins.length];
                        System.arraycopy(b, 0, n, 0, at);
                        System.arraycopy(ins, 0, n, at, ins.length);
                        System.arraycopy(b, at, n, at + ins.length, b.length - at);
                        b = n;
                    }
                }
                if (b.length == 0) break;
            }
            Files.write(f, b);
            for (boolean tolerate : new boolean[]{true, false}) {
                try {
                    ScanFile.read(f, tolerate);
                } catch (DatasetException e) {
                    assertTrue(e.getMessage().startsWith(f + ":"), e.getMessage());
                }
            }
        }
    }
}
