package dev.drllm.eval;

import dev.drllm.runtime.LayerPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvalReportTest {
    static Evaluator.Outcome outcome(int i, int level, boolean ok, int[] counts, int decodeSteps, float skipLogit) {
        LayerPath p = LayerPath.fromCounts(counts);
        float[][] logits = new float[counts.length][];
        for (int l = 0; l < counts.length; l++) logits[l] = new float[]{l == 2 ? skipLogit : -1, 1, -2};
        return new Evaluator.Outcome(i, "q" + i, level, ok, ok ? "A" : "B", p.layers(), counts, (long) p.length() * (1 + decodeSteps),
                2, decodeSteps, 1.0, 10.0, logits);
    }

    @Test
    void summaryCountsLayersOverEveryPassAndAccuracyPerLevel() {
        List<Evaluator.Outcome> os = List.of(
                outcome(0, 1, true, new int[]{1, 1, 0, 1}, 1, 3),
                outcome(1, 1, false, new int[]{1, 2, 1, 1}, 3, 3),
                outcome(2, 2, true, new int[]{1, 1, 1, 1}, 0, 3));
        RunSummary s = RunSummary.of("routed", os);
        assertEquals(2 / 3.0, s.accuracy(), 1e-12);
        assertEquals(0.5, s.byLevel().get(1)[0], 1e-12);
        assertEquals(1.0, s.byLevel().get(2)[0], 1e-12);
        assertEquals((3 + 5 + 4) / 3.0, s.avgPathLength(), 1e-12);
        // prefill + one pass per decode step: 3·2, 5·4, 4·1
        assertEquals((6 + 20 + 4) / 3.0, s.avgLayerExecutions(), 1e-12);
        assertEquals(4 * 1000.0 / 30, s.decodeTokensPerSecond(), 1e-9);
    }

    @Test
    void staticSkipTakesTheRoutersMostSkippableLayers() {
        List<Evaluator.Outcome> os = List.of(outcome(0, 0, true, new int[]{1, 1, 0, 1}, 1, 3), outcome(1, 0, true, new int[]{1, 1, 0, 1}, 1, 2));
        assertEquals(1, StaticSkip.defaultCount(4, os));
        assertArrayEquals(new int[]{2}, StaticSkip.mostSkippable(4, os, 1));
        // Ties among the others go to the later layers.
        assertArrayEquals(new int[]{2, 3}, StaticSkip.mostSkippable(4, os, 2));
        assertEquals(LayerPath.of(4, 0, 1, 3), StaticSkip.path(4, new int[]{2}));
        assertThrows(IllegalArgumentException.class, () -> StaticSkip.path(4, new int[]{4}));
    }

    @Test
    void writesMarkdownJsonAndPlots(@TempDir Path dir) throws Exception {
        List<Evaluator.Outcome> base = List.of(outcome(0, 3, true, new int[]{1, 1, 1, 1}, 1, 0), outcome(1, 4, false, new int[]{1, 1, 1, 1}, 1, 0));
        List<Evaluator.Outcome> routed = List.of(outcome(0, 3, true, new int[]{1, 0, 1, 2}, 1, 0), outcome(1, 4, true, new int[]{1, 1, 0, 1}, 1, 0));
        EvalReport r = new EvalReport("dart", "m", "r", "d", 4,
                Map.of("baseline", RunSummary.of("baseline", base), "routed", RunSummary.of("routed", routed)),
                Map.of("baseline", base, "routed", routed), Map.of());
        String md = r.markdown();
        assertTrue(md.contains("| L3 | L4 |"), md);
        assertTrue(md.contains("| routed | 100.0% | 100.0% | 100.0% | 3.50 | 7.0 |"), md);
        r.write(dir, "dart-test");
        var json = dev.drllm.util.Json.MAPPER.readTree(dir.resolve("dart-test.json").toFile());
        assertEquals(1.0, json.get("summaries").get("routed").get("accuracy").asDouble());
        assertEquals(4, json.get("questions").get("routed").get(0).get("path").size());
        Plots.accuracyVsLayers("t", List.copyOf(r.summaries().values()), dir.resolve("acc.png"));
        Plots.decisionsHeatmap("t", new int[][]{{1, 0, 1, 2}, {1, 1, 0, 1}}, dir.resolve("heat.png"));
        for (String f : new String[]{"acc.png", "heat.png"}) {
            byte[] b = Files.readAllBytes(dir.resolve(f));
            assertTrue(b.length > 1000 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G', f);
        }
    }
}
