package dev.drllm.mcts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.util.Json;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The reference's curation of MCTS supervision ({@code data_generation.py}, DESIGN.md §1 "data"):
 * searched questions are taken in index order; one with no correct path (or an error) is dropped;
 * while fewer than {@code quota} are kept, a solved question is kept; once the quota is full, a
 * question MCTS <em>fixed</em> (wrong on the full path, right on some path) replaces the earliest
 * kept question that is not a fix, as long as fewer than {@code ⌈fixShare · quota⌉} of the kept
 * questions are fixes. Curation is complete once the quota is full and the fix target met; the
 * questions after that point are not used (drllm's threaded search starts none of them, but files
 * joined by hand may hold some).
 *
 * <p>Feed records with {@link #offer} in question order (or use {@link #apply}); the outcome is a
 * pure function of the records, so a resumed, threaded or merged run curates the same way.
 */
public final class Curation {
    /** The paper's target share of fixed questions among the kept ones. */
    public static final double PAPER_FIX_SHARE = 0.30;

    /** The paper's kept questions per task (Table 2): ARC-Easy 400 + ARC-Challenge 600; DART levels 1–5 200/400/600/800/1000. */
    public static int paperQuota(String task) {
        return switch (task) {
            case "arc" -> 1000;
            case "dart" -> 3000;
            default -> throw new IllegalArgumentException("no paper quota for task '" + task + "'");
        };
    }

    /**
     * What to keep: {@code quota} questions of which at least {@code fixShare} are fixes.
     * {@link #labelAll()} keeps every solved question (no quota, no fix target): drllm's former
     * behaviour, not the paper's.
     */
    public record Rule(int quota, double fixShare) {
        public Rule {
            if (quota < 1) throw new IllegalArgumentException("the quota must be >= 1, got " + quota);
            if (!(fixShare >= 0 && fixShare <= 1)) throw new IllegalArgumentException("the fix share must be in [0, 1], got " + fixShare);
        }

        public static Rule paper(String task) {
            return new Rule(paperQuota(task), PAPER_FIX_SHARE);
        }

        public static Rule labelAll() {
            return new Rule(Integer.MAX_VALUE, 0);
        }

        public boolean isLabelAll() { return quota == Integer.MAX_VALUE; }

        /** Kept fixes needed: ⌈fixShare · quota⌉. */
        public int fixTarget() {
            return isLabelAll() ? 0 : (int) Math.ceil(fixShare * quota - 1e-9);
        }

        /** This rule's share of an {@code n}-way sharded run: ⌈quota / n⌉ kept, same fix share. */
        public Rule shard(int n) {
            return isLabelAll() || n == 1 ? this : new Rule((quota + n - 1) / n, fixShare);
        }

        public String describe() {
            return isLabelAll() ? "label every solved question (no curation)"
                    : String.format(Locale.ROOT, "quota %d, fix share >= %.0f%% (%d fixes)", quota, 100 * fixShare, fixTarget());
        }
    }

    /**
     * The curated set and its bookkeeping. {@code searched} counts the records curation used (the
     * search up to the point curation completed), {@code unused} the searched records after that
     * point; {@code lastUsedIndex} is the index of the last record used; {@code inferences} sums their path evaluations (greedy generations), like the paper's
     * "model runs".
     */
    public record Result(Rule rule, List<MctsRecord> kept, int searched, int unused, int solved, int noCorrectPath, int errors,
                         int fixesFound, int keptFixes, int replaced, long inferences, long unusedInferences, int lastUsedIndex,
                         boolean complete) {
        public double keptFixShare() { return kept.isEmpty() ? 0 : (double) keptFixes / kept.size(); }

        public boolean quotaFull() { return !rule.isLabelAll() && kept.size() >= rule.quota(); }

        public boolean fixTargetMet() { return keptFixes >= rule.fixTarget(); }

        /** One line: searched / kept / fixes / inferences, and whether the target was reached. */
        public String summary() {
            String head = String.format(Locale.ROOT, "searched %d, kept %d%s, fixes %d of the kept (%.1f%%), %d found, %d inferences",
                    searched, kept.size(), rule.isLabelAll() ? "" : " of quota " + rule.quota(), keptFixes, 100 * keptFixShare(), fixesFound, inferences);
            if (rule.isLabelAll()) return head + "; no curation (every solved question kept)";
            if (complete) return head + "; curation complete";
            List<String> missing = new ArrayList<>();
            if (!quotaFull()) missing.add("quota not full (" + kept.size() + " of " + rule.quota() + ")");
            if (!fixTargetMet()) missing.add(String.format(Locale.ROOT, "fix target NOT reached (%d of %d fixes, %.1f%% instead of %.0f%%)",
                    keptFixes, rule.fixTarget(), 100 * keptFixShare(), 100 * rule.fixShare()));
            return head + "; INCOMPLETE: " + String.join(", ", missing) + " — search more questions";
        }

        public ObjectNode toJson() {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("format", "drllm-mcts-curation/1");
            if (rule.isLabelAll()) {
                o.put("rule", "label-all");
            } else {
                o.put("rule", "reference");
                o.put("quota", rule.quota());
                o.put("fix_share_target", rule.fixShare());
                o.put("fix_target", rule.fixTarget());
            }
            o.put("complete", complete);
            o.put("searched", searched);
            o.put("kept", kept.size());
            o.put("kept_fixes", keptFixes);
            o.put("kept_fix_share", keptFixShare());
            o.put("fixes_found", fixesFound);
            o.put("solved", solved);
            o.put("no_correct_path", noCorrectPath);
            o.put("errors", errors);
            o.put("replaced", replaced);
            o.put("inferences", inferences);
            o.put("unused_searched", unused);
            o.put("unused_inferences", unusedInferences);
            if (!kept.isEmpty()) {
                o.put("kept_average_path_length", kept.stream().mapToInt(r -> r.bestPath().size()).average().orElse(0));
                long repeats = 0, skips = 0, slots = 0;
                for (MctsRecord r : kept) {
                    for (int c : r.labels()) {
                        slots++;
                        if (c == 0) skips++;
                        if (c == 2) repeats++;
                    }
                }
                o.put("kept_skip_label_share", (double) skips / slots);
                o.put("kept_repeat_label_share", (double) repeats / slots);
                Map<Integer, int[]> levels = new java.util.TreeMap<>();
                for (MctsRecord r : kept) {
                    if (r.level() == 0) continue;
                    int[] c = levels.computeIfAbsent(r.level(), k -> new int[2]);
                    c[0]++;
                    if (r.fixed()) c[1]++;
                }
                if (!levels.isEmpty()) {
                    ObjectNode lv = o.putObject("kept_by_level");
                    levels.forEach((l, c) -> lv.putObject(String.valueOf(l)).put("kept", c[0]).put("fixes", c[1]));
                }
            }
            if (searched > 0) o.put("last_used_index", lastUsedIndex);
            o.put("summary", summary());
            return o;
        }
    }

    private final Rule rule;
    /** Kept records by index, in the order they were kept. */
    private final Map<Integer, MctsRecord> kept = new LinkedHashMap<>();
    private int searched, solved, noCorrectPath, errors, fixesFound, keptFixes, replaced, unused;
    private int lastUsedIndex = -1;
    private long inferences, unusedInferences;
    private boolean complete;

    public Curation(Rule rule) {
        this.rule = rule;
    }

    public Rule rule() { return rule; }

    /** True once the quota is full and the fix target met; later records are counted as unused. */
    public boolean complete() { return complete; }

    /** Feeds the next searched record (in question order); returns {@link #complete()}. */
    public boolean offer(MctsRecord r) {
        if (complete) {
            unused++;
            unusedInferences += r.evaluations();
            return true;
        }
        searched++;
        lastUsedIndex = r.index();
        inferences += r.evaluations();
        if (r.error() != null) {
            errors++;
        } else if (!r.solved()) {
            noCorrectPath++;
        } else {
            solved++;
            if (r.fixed()) fixesFound++;
            if (kept.size() < rule.quota()) {
                keep(r);
            } else if (r.fixed() && keptFixes < rule.fixTarget()) {
                Iterator<MctsRecord> it = kept.values().iterator();
                while (it.hasNext()) {
                    if (!it.next().fixed()) {
                        it.remove();
                        replaced++;
                        keep(r);
                        break;
                    }
                }
            }
        }
        complete = !rule.isLabelAll() && kept.size() >= rule.quota() && keptFixes >= rule.fixTarget();
        return complete;
    }

    private void keep(MctsRecord r) {
        kept.put(r.index(), r);
        if (r.fixed()) keptFixes++;
    }

    /** The curated set (sorted by question index) and its counts so far. */
    public Result result() {
        List<MctsRecord> k = new ArrayList<>(kept.values());
        k.sort(Comparator.comparingInt(MctsRecord::index));
        return new Result(rule, k, searched, unused, solved, noCorrectPath, errors, fixesFound, keptFixes, replaced, inferences,
                unusedInferences, lastUsedIndex, complete);
    }

    /** Curates {@code records} taken in question-index order. */
    public static Result apply(Rule rule, List<MctsRecord> records) {
        List<MctsRecord> sorted = new ArrayList<>(records);
        sorted.sort(Comparator.comparingInt(MctsRecord::index));
        Curation c = new Curation(rule);
        for (MctsRecord r : sorted) c.offer(r);
        return c.result();
    }
}
