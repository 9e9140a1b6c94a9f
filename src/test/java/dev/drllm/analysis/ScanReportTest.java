package dev.drllm.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.runtime.LayerPath;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The report maths on synthetic scans whose answer is known. */
class ScanReportTest {
    private static final int L = 4;

    private static ScanHeader header(List<Integer> featureLayers, int hidden) {
        return new ScanHeader("dart", "synthetic", "0", L, hidden, "base", featureLayers, EditScan.candidates(L));
    }

    private static ScanRecord record(int index, int level, String correct, float[] feature) {
        return new ScanRecord("dart", index, "q" + index, level, correct, feature == null ? Map.of() : Map.of(1, feature), null);
    }

    private static String row(boolean... right) {
        StringBuilder sb = new StringBuilder();
        for (boolean b : right) sb.append(b ? '1' : '0');
        return sb.toString();
    }

    @Test
    void countsFixesBreaksLevelsAndOracle() {
        int nc = EditScan.candidates(L).size();
        String allWrong = "0".repeat(nc);
        // q0: full right, candidate 1 wrong (a break); q1: full wrong, candidate 1 right (a fix); q2: only candidate 3 right; q3: none
        List<ScanRecord> rs = List.of(
                record(0, 1, "10" + "1".repeat(nc - 2), null),
                record(1, 1, "01" + "0".repeat(nc - 2), null),
                record(2, 2, "0001" + "0".repeat(nc - 4), null),
                record(3, 2, allWrong, null),
                new ScanRecord("dart", 4, "q4", 2, null, null, "prompt too long"));
        ScanReport r = ScanReport.of(new ScanFile.Scan(header(List.of(), 8), rs), ScanReport.Settings.defaults());
        assertEquals(4, r.questions(), "the not-evaluated question is left out");
        ScanReport.CandidateStats full = r.candidates().get(0), c1 = r.candidates().get(1), c3 = r.candidates().get(3);
        assertEquals("full", full.name());
        assertEquals(1, full.correct());
        assertArrayEquals(new int[]{1, 2}, full.levels().get(1));
        assertArrayEquals(new int[]{0, 2}, full.levels().get(2));
        assertEquals(1, c1.correct());
        assertEquals(1, c1.fixes());
        assertEquals(1, c1.breaks());
        assertEquals(1, c3.fixes());
        assertEquals(0, c3.breaks());
        assertEquals(3, r.oracle());
        assertTrue(r.knn().isEmpty(), "no feature layers, no k-NN rows");
        assertNotNull(r.global());
        String text = r.text();
        assertTrue(text.contains("full path: 25.0% (1/4)"), text);
        assertTrue(text.contains("oracle (any candidate right): 75.0% (3/4)"), text);
        // q1..q3 wrong; q1 and q2 fixed by one candidate each; q0 is broken by candidate 1 only
        assertTrue(text.contains("full path wrong on 3 questions: 2 of them fixed by some other candidate, by 0.7 of the 11 on average;"
                + " a question it answers right is broken by 1.0 of them on average"), text);
    }

    @Test
    void candidateNames() {
        List<LayerPath> cs = EditScan.candidates(16);
        assertEquals(48, cs.size(), "full + 16 single skips + 15 pair skips + 16 repeats");
        assertEquals("full", EditScan.describe(cs.getFirst()));
        assertEquals("skip 0", EditScan.describe(LayerPath.of(4, 1, 2, 3)));
        assertEquals("skip 1-2", EditScan.describe(LayerPath.of(4, 0, 3)));
        assertEquals("repeat 2", EditScan.describe(LayerPath.of(4, 0, 1, 2, 2, 3)));
        assertEquals("0,2", EditScan.describe(LayerPath.of(4, 0, 2)));
    }

    /**
     * Two clusters told apart by two feature dimensions: in cluster A only candidate 1 is right, in
     * B only the full path; the other dimensions are noise at a scale 10^6 times larger, so only
     * per-dimension standardisation lets the neighbours find the cluster. A policy that finds it
     * answers ~all held-out questions right against ~half for the full path.
     */
    @Test
    void knnFindsACandidateThatIsRightForAFeatureCluster() {
        Random rnd = new Random(1);
        int n = 400, h = 6, nc = EditScan.candidates(L).size();
        List<ScanRecord> rs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean a = i % 2 == 0;
            float[] f = new float[h];
            f[0] = f[1] = (float) (1e-3 * ((a ? 2 : -2) + rnd.nextGaussian()));
            for (int e = 2; e < h; e++) f[e] = (float) (1e3 * rnd.nextGaussian());
            boolean[] right = new boolean[nc];
            right[0] = !a;
            right[1] = a;
            for (int c = 2; c < nc; c++) right[c] = rnd.nextDouble() < 0.3;
            rs.add(record(i, a ? 1 : 2, row(right), f));
        }
        ScanReport r = ScanReport.of(new ScanFile.Scan(header(List.of(1), h), rs), ScanReport.Settings.defaults());
        assertEquals(4, r.knn().size(), "vote and consensus, k = 16 and 64");
        // the level here names the cluster exactly, so the per-level policy gains the full half
        assertEquals(0.5, r.byLevel().meanDelta(), 0.05, r.byLevel().toString());
        for (ScanReport.KnnStats k : r.knn().stream().filter(k -> k.policy().equals("vote")).toList()) {
            // the clusters overlap a little (±2 apart, unit noise, plus 4 noise dimensions): ~0.45 expected, 0.35 leaves margin
            assertTrue(k.meanDelta() > 0.35, k.toString());
            assertTrue(k.meanDelta() > 10 * k.stdErr(), k.toString());
            assertEquals(0.5, k.fullAccuracy(), 0.1);
            assertTrue(k.meanLayers() < L + 0.5 && k.meanLayers() > L - 1.5, "candidate 1 skips one layer: " + k);
        }
        // one path for everybody cannot separate the clusters: at best it swaps which half is right
        assertEquals(0, r.global().meanDelta(), 0.1);
    }

    /**
     * Correctness independent of the features and equally likely for every candidate: the expected
     * gain is 0. The splits reuse one sample of 1000 questions, so what remains is that sample's
     * own luck: two candidates' accuracies differ by sd sqrt(2·0.21/1000) ≈ 0.02, and a policy that
     * mostly picks the luckiest of 13 candidates can show up to ~3 sd, hence 0.06. A policy that
     * peeked at the held-out answers would gain ~0.3 here (the oracle is near 100%).
     */
    @Test
    void knnOnPureNoiseGainsNothing() {
        Random rnd = new Random(7);
        int n = 1000, h = 8, nc = EditScan.candidates(L).size();
        List<ScanRecord> rs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] f = new float[h];
            for (int e = 0; e < h; e++) f[e] = (float) rnd.nextGaussian();
            boolean[] right = new boolean[nc];
            for (int c = 0; c < nc; c++) right[c] = rnd.nextDouble() < 0.7;
            rs.add(record(i, 0, row(right), f));
        }
        ScanReport r = ScanReport.of(new ScanFile.Scan(header(List.of(1), h), rs), ScanReport.Settings.defaults());
        for (ScanReport.KnnStats k : r.knn()) assertEquals(0, k.meanDelta(), 0.06, k.toString());
        assertEquals(0, r.global().meanDelta(), 0.06);
        assertNull(r.byLevel(), "no levels, no per-level policy");
    }

    @Test
    void deterministicGivenTheSeed() {
        Random rnd = new Random(3);
        int n = 120, h = 5, nc = EditScan.candidates(L).size();
        List<ScanRecord> rs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] f = new float[h];
            for (int e = 0; e < h; e++) f[e] = (float) rnd.nextGaussian();
            boolean[] right = new boolean[nc];
            for (int c = 0; c < nc; c++) right[c] = rnd.nextDouble() < 0.5;
            rs.add(record(i, 1 + i % 3, row(right), f));
        }
        ScanFile.Scan scan = new ScanFile.Scan(header(List.of(1), h), rs);
        JsonNode a = ScanReport.of(scan, ScanReport.Settings.defaults()).toJson();
        JsonNode b = ScanReport.of(scan, ScanReport.Settings.defaults()).toJson();
        assertEquals(a, b);
        JsonNode c = ScanReport.of(scan, new ScanReport.Settings(20, 0.2, 99, new int[]{16, 64}, 1.0)).toJson();
        assertNotEquals(a.get("knn"), c.get("knn"), "another seed draws other splits");
        assertEquals(n, a.get("questions").asInt());
        assertEquals(nc, a.get("candidates").size());
        assertEquals(4, a.get("knn").get("results").size());
        assertTrue(a.get("candidates").get(0).get("levels").has("3"));
    }

    @Test
    void settingsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new ScanReport.Settings(1, 0.2, 0, new int[]{16}, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new ScanReport.Settings(20, 1.0, 0, new int[]{16}, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new ScanReport.Settings(20, 0.2, 0, new int[]{0}, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new ScanReport.Settings(20, 0.2, 0, new int[]{}, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new ScanReport.Settings(20, 0.2, 0, new int[]{16}, 1.1));
    }

    /**
     * Cluster A: the full path and skip 3 both always right; cluster B: the full path right, skip 3
     * always wrong. The vote policy sees a tie in A and keeps the full path; the consensus policy
     * skips layer 3 exactly in A, at no cost.
     */
    @Test
    void consensusPolicySkipsWhereTheNeighbourhoodAgrees() {
        Random rnd = new Random(5);
        int n = 400, h = 3, nc = EditScan.candidates(L).size();
        int skip3 = 0;
        for (int c = 0; c < nc; c++) if (EditScan.describe(EditScan.candidates(L).get(c)).equals("skip 3")) skip3 = c;
        List<ScanRecord> rs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean a = i % 2 == 0;
            float[] f = new float[h];
            for (int e = 0; e < h; e++) f[e] = (float) (0.1 * rnd.nextGaussian());
            f[a ? 0 : 1] += 1;
            boolean[] right = new boolean[nc];
            right[0] = true;
            right[skip3] = a;
            rs.add(record(i, 0, row(right), f));
        }
        ScanReport r = ScanReport.of(new ScanFile.Scan(header(List.of(1), h), rs), ScanReport.Settings.defaults());
        for (ScanReport.KnnStats k : r.knn()) {
            assertEquals(0, k.meanDelta(), 1e-9, k.toString());
            if (k.policy().equals("vote")) assertEquals(L, k.meanLayers(), 1e-9, k.toString());
            else assertEquals(L - 0.5, k.meanLayers(), 0.05, "half the questions skip one layer: " + k);
        }
    }
}
