package dev.drllm.analysis;

import dev.drllm.mcts.MctsRecord;
import dev.drllm.runtime.LayerPath;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** Consensus labels on synthetic scans whose right labels are known. */
class ConsensusLabelsTest {
    private static final int L = 4;
    private static final List<LayerPath> CANDIDATES = EditScan.candidates(L);
    // EditScan.candidates(4): full, skip 0, skip 0-1, skip 1, skip 1-2, skip 2, skip 2-3, skip 3, repeat 0..3
    private static final int SKIP01 = index("skip 0-1"), SKIP23 = index("skip 2-3"), SKIP3 = index("skip 3"), REPEAT1 = index("repeat 1");

    private static int index(String name) {
        for (int c = 0; c < CANDIDATES.size(); c++) if (EditScan.describe(CANDIDATES.get(c)).equals(name)) return c;
        throw new AssertionError(name);
    }

    private static String right(int... candidates) {
        char[] r = "0".repeat(CANDIDATES.size()).toCharArray();
        for (int c : candidates) r[c] = '1';
        return new String(r);
    }

    /** A question of cluster {@code cluster} (its own feature dimension, plus small seeded noise). */
    private static ScanRecord q(int index, int cluster, String correct, Random rnd) {
        float[] f = new float[3];
        for (int i = 0; i < f.length; i++) f[i] = (float) (0.05 * rnd.nextGaussian());
        f[cluster] += 1;
        return new ScanRecord("dart", index, "q" + index, cluster + 1, correct, Map.of(2, f), null);
    }

    private static ScanFile.Scan scan(List<ScanRecord> rs) {
        return new ScanFile.Scan(new ScanHeader("dart", "synthetic", "0", L, 3, "base", List.of(2), CANDIDATES), rs);
    }

    /**
     * Cluster A (0..9): full, skip 3, skip 0-1 and skip 2-3 all right. Cluster B (10..19): only the
     * full path right, except question 10, also right under skip 2-3 by luck. Cluster C (20..29):
     * the full path wrong everywhere, repeat 1 right everywhere.
     */
    private static List<ScanRecord> clusters() {
        Random rnd = new Random(7);
        List<ScanRecord> rs = new ArrayList<>();
        for (int i = 0; i < 10; i++) rs.add(q(i, 0, right(0, SKIP3, SKIP01, SKIP23), rnd));
        rs.add(q(10, 1, right(0, SKIP23), rnd));
        for (int i = 11; i < 20; i++) rs.add(q(i, 1, right(0), rnd));
        for (int i = 20; i < 30; i++) rs.add(q(i, 2, right(REPEAT1), rnd));
        return rs;
    }

    /** The largest question index a scan line may hold does not wrap the held-out arithmetic (which held every question out). */
    @Test
    void largestIndexLabelsEveryQuestion() {
        Random rnd = new Random(3);
        List<ScanRecord> rs = List.of(q(0, 0, right(0), rnd), q(1, 1, right(0), rnd), q(Integer.MAX_VALUE, 2, right(0), rnd));
        assertEquals(3, ConsensusLabels.of(scan(rs), new ConsensusLabels.Settings(2, 2, 1.0, 0)).size());
        assertEquals(2, ConsensusLabels.of(scan(rs), new ConsensusLabels.Settings(2, 2, 1.0, 1)).size());
    }

    @Test
    void shortestPathItsNeighbourhoodSharesElseFull() {
        List<ConsensusLabels.Label> ls = ConsensusLabels.of(scan(clusters()), new ConsensusLabels.Settings(2, 5, 1.0, 0));
        assertEquals(30, ls.size());
        for (int i = 0; i < 10; i++) {
            // skip 0-1 and skip 2-3 tie on length and neighbours; skip 2-3 is right on one more question
            // overall, so every question of the cluster gets that same label
            assertEquals(SKIP23, ls.get(i).candidate(), "cluster A question " + i);
            assertEquals(1.0, ls.get(i).agreement());
        }
        assertEquals(0, ls.get(10).candidate(), "right under skip 2-3 by luck, but its neighbours break there: full path");
        for (int i = 11; i < 20; i++) assertEquals(0, ls.get(i).candidate());
        for (int i = 20; i < 30; i++) {
            assertEquals(REPEAT1, ls.get(i).candidate(), "a fix the whole neighbourhood shares, although longer");
            assertEquals(0.0, ls.get(i).fullAgreement());
            assertTrue(ls.get(i).correct());
            assertFalse(ls.get(i).fullCorrect());
        }
    }

    @Test
    void lowerAgreementAdmitsPathsMostNeighboursShare() {
        List<ScanRecord> rs = clusters();
        // two questions of cluster A are now answered wrong on every path: with all neighbours
        // required, the questions near them lose skip 2-3; with 3 of 5 enough they keep it (the
        // full path does no better there)
        for (int i : new int[]{0, 1}) rs.set(i, new ScanRecord("dart", i, "q" + i, 1, right(), rs.get(i).features(), null));
        List<ConsensusLabels.Label> strict = ConsensusLabels.of(scan(rs), new ConsensusLabels.Settings(2, 5, 1.0, 0));
        List<ConsensusLabels.Label> loose = ConsensusLabels.of(scan(rs), new ConsensusLabels.Settings(2, 5, 0.6, 0));
        long strictSkips = strict.subList(2, 10).stream().filter(l -> l.candidate() != 0).count();
        long looseSkips = loose.subList(2, 10).stream().filter(l -> l.candidate() != 0).count();
        assertTrue(looseSkips > strictSkips, strictSkips + " vs " + looseSkips);
        assertEquals(8, looseSkips);
        assertEquals(0, loose.get(0).candidate(), "nothing shared answers it: the full path");
    }

    @Test
    void heldOutTailIsNeitherLabelledNorANeighbour() {
        List<ScanRecord> rs = new ArrayList<>(clusters());
        // 3 more cluster-B-like questions that are all right under skip 3: as neighbours they would
        // give question 10's cluster a majority for skip 3 at min-agreement 0.5
        Random rnd = new Random(9);
        for (int i = 30; i < 33; i++) rs.add(q(i, 1, right(0, SKIP3), rnd));
        List<ConsensusLabels.Label> held = ConsensusLabels.of(scan(rs), new ConsensusLabels.Settings(2, 5, 0.5, 3));
        assertEquals(30, held.size());
        assertEquals(List.of(), held.stream().filter(l -> l.record().index() >= 30).toList());
        for (int i = 10; i < 20; i++) assertEquals(0, held.get(i).candidate(), "question " + i);
        List<ConsensusLabels.Label> all = ConsensusLabels.of(scan(rs), new ConsensusLabels.Settings(2, 5, 0.5, 0));
        assertEquals(33, all.size());
        // a tail question the scan could not evaluate still counts towards the last N
        rs.add(new ScanRecord("dart", 33, "q33", 2, null, null, "prompt too long"));
        assertEquals(31, ConsensusLabels.of(scan(rs), new ConsensusLabels.Settings(2, 5, 0.5, 3)).size(), "indices 31..33 held out");
    }

    @Test
    void labelLinesReadBackAsTrainingLabels() {
        List<ConsensusLabels.Label> ls = ConsensusLabels.of(scan(clusters()), new ConsensusLabels.Settings(2, 5, 1.0, 0));
        for (ConsensusLabels.Label l : List.of(ls.get(0), ls.get(10), ls.get(20))) {
            MctsRecord r = MctsRecord.fromJson(l.toJson(L, CANDIDATES), Path.of("labels.jsonl"), 1);
            assertTrue(r.solved());
            assertArrayEquals(l.path().counts(), r.labels());
            assertEquals(l.record().id(), r.id());
            assertEquals(l.fullCorrect(), r.originalCorrect());
        }
        assertEquals("skip 2-3", ls.getFirst().toJson(L, CANDIDATES).get("label").asText());
    }

    @Test
    void refusesWhatItCannotDo() {
        ScanFile.Scan s = scan(clusters());
        var e = assertThrows(IllegalArgumentException.class, () -> ConsensusLabels.of(s, new ConsensusLabels.Settings(5, 5, 1.0, 0)));
        assertTrue(e.getMessage().contains("entering layers [2], not 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ConsensusLabels.of(s, new ConsensusLabels.Settings(2, 5, 1.0, 30)));
        assertTrue(e.getMessage().contains("leaves none of the scan's evaluated questions"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ConsensusLabels.Settings(2, 0, 1.0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ConsensusLabels.Settings(2, 5, 1.5, 0));
        assertThrows(IllegalArgumentException.class, () -> new ConsensusLabels.Settings(2, 5, 1.0, -1));
    }
}
