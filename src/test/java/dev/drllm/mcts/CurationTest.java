package dev.drllm.mcts;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CurationTest {
    /** 'c' right on the full path and kept shorter, 'f' fixed, 'x' no correct path, 'e' error; index = position. */
    private static List<MctsRecord> records(String kinds) {
        List<MctsRecord> out = new ArrayList<>();
        for (int i = 0; i < kinds.length(); i++) {
            char k = kinds.charAt(i);
            List<Integer> path = List.of(0, 1, 3);
            boolean original = k == 'c';
            List<Integer> best = k == 'c' || k == 'f' ? path : null;
            out.add(new MctsRecord("dart", "tiny", i, "q" + i, "What is " + i + "?", "1", 2, 4, original, best,
                    best == null ? List.of() : List.of(best), 3, 2 + i % 3, i, 50, "1", best == null ? null : "1", 0.1,
                    k == 'e' ? "prompt too long" : null));
        }
        return out;
    }

    private static List<Integer> indices(Curation.Result r) {
        return r.kept().stream().map(MctsRecord::index).toList();
    }

    @Test
    void paperDefaults() {
        assertEquals(0.30, Curation.PAPER_FIX_SHARE, 0.0);
        assertEquals(new Curation.Rule(1000, 0.30), Curation.Rule.paper("arc"));
        assertEquals(new Curation.Rule(3000, 0.30), Curation.Rule.paper("dart"));
        assertEquals(300, Curation.Rule.paper("arc").fixTarget());
        assertEquals(900, Curation.Rule.paper("dart").fixTarget());
        assertEquals(3, new Curation.Rule(10, 0.3).fixTarget(), "0.3 * 10 is 3, not 4 from rounding error");
        assertEquals(2, new Curation.Rule(4, 0.3).fixTarget(), "rounded up");
    }

    @Test
    void keepsTheQuotaDropsUnsolvedAndTopsUpWithFixesReplacingTheEarliestNonFix() {
        // quota 4, 50% fixes: need 2 fixes among 4 kept
        Curation.Rule rule = new Curation.Rule(4, 0.5);
        //                     0123456789
        List<MctsRecord> rs = records("cxcecfcccfcf");
        Curation.Result r = Curation.apply(rule, rs);
        // kept in order: 0, 2, 4, 5(f) -> quota full with 1 fix; 6, 7, 8 are surplus; 9(f) replaces 0, the earliest non-fix
        assertEquals(List.of(2, 4, 5, 9), indices(r));
        assertTrue(r.complete());
        assertEquals(10, r.searched(), "curation stops at the record that completes it");
        assertEquals(2, r.unused());
        assertEquals(1, r.replaced());
        assertEquals(2, r.keptFixes());
        assertEquals(0.5, r.keptFixShare(), 0.0);
        assertEquals(1, r.noCorrectPath());
        assertEquals(1, r.errors());
        assertEquals(2, r.fixesFound());
        assertEquals(8, r.solved());
        long inferences = rs.subList(0, 10).stream().mapToLong(MctsRecord::evaluations).sum();
        assertEquals(inferences, r.inferences());
        assertEquals(9, r.lastUsedIndex());
    }

    @Test
    void fixesBeforeTheQuotaIsFullAreSimplyKept() {
        Curation.Result r = Curation.apply(new Curation.Rule(3, 0.3), records("ffcc"));
        assertEquals(List.of(0, 1, 2), indices(r));
        assertTrue(r.complete());
        assertEquals(1, r.unused());
        assertEquals(0, r.replaced());
    }

    @Test
    void aFullQuotaWithoutTheFixShareIsIncompleteAndSaysSo() {
        Curation.Result r = Curation.apply(new Curation.Rule(3, 0.3), records("cccccxc"));
        assertFalse(r.complete());
        assertTrue(r.quotaFull());
        assertFalse(r.fixTargetMet());
        assertEquals(List.of(0, 1, 2), indices(r));
        assertEquals(7, r.searched());
        assertTrue(r.summary().contains("INCOMPLETE") && r.summary().contains("fix target NOT reached (0 of 1 fixes"), r.summary());
        assertFalse(r.toJson().get("complete").asBoolean());
    }

    @Test
    void aShortPoolIsIncompleteOnTheQuota() {
        Curation.Result r = Curation.apply(new Curation.Rule(5, 0.2), records("cfx"));
        assertFalse(r.complete());
        assertEquals(List.of(0, 1), indices(r));
        assertTrue(r.summary().contains("quota not full (2 of 5)"), r.summary());
    }

    @Test
    void shareZeroStopsAtTheQuota() {
        Curation.Result r = Curation.apply(new Curation.Rule(2, 0), records("xccf"));
        assertTrue(r.complete());
        assertEquals(List.of(1, 2), indices(r));
        assertEquals(3, r.searched());
    }

    @Test
    void labelAllKeepsEverySolvedQuestion() {
        Curation.Result r = Curation.apply(Curation.Rule.labelAll(), records("cxfcec"));
        assertEquals(List.of(0, 2, 3, 5), indices(r));
        assertFalse(r.complete());
        assertEquals(6, r.searched());
        assertEquals("label-all", r.toJson().get("rule").asText());
    }

    @Test
    void orderOfTheRecordsDoesNotMatterAndIncrementalEqualsBatch() {
        List<MctsRecord> rs = records("cfcxccfccfcccf");
        List<MctsRecord> shuffled = new ArrayList<>(rs);
        java.util.Collections.reverse(shuffled);
        Curation.Rule rule = new Curation.Rule(5, 0.4);
        Curation.Result a = Curation.apply(rule, rs), b = Curation.apply(rule, shuffled);
        assertEquals(a, b);
        Curation inc = new Curation(rule);
        for (MctsRecord r : rs) if (inc.offer(r)) break;
        assertEquals(indices(a), indices(inc.result()));
    }

    @Test
    void shardRuleTakesItsShareOfTheQuota() {
        assertEquals(new Curation.Rule(334, 0.3), Curation.Rule.paper("arc").shard(3));
        assertEquals(Curation.Rule.labelAll(), Curation.Rule.labelAll().shard(4));
    }

    @Test
    void badRulesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Curation.Rule(0, 0.3));
        assertThrows(IllegalArgumentException.class, () -> new Curation.Rule(10, 1.5));
        assertThrows(IllegalArgumentException.class, () -> new Curation.Rule(10, Double.NaN));
    }
}
