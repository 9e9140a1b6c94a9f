package dev.drllm.analysis;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.runtime.LayerPath;
import dev.drllm.util.Json;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What an edit scan says a prefill router could gain. (a) Accuracy of every candidate path, per
 * level, with the questions it fixes (full path wrong, it right) and breaks; (b) the oracle, a
 * perfect per-question choice among the candidates; (c) a cross-validated k-nearest-neighbour
 * policy: a held-out question takes the candidate with the best accuracy over its k most similar
 * training questions (cosine similarity of the standardised feature vectors). That is what a
 * router that perfectly learned the neighbourhood consensus of its input features would pick, so
 * its accuracy against the full path estimates what routing on those features can gain — the
 * oracle is an upper bound no input-reading router reaches when right answers are near-ties.
 */
public final class ScanReport {
    /** Accuracy of one candidate: overall and per level (level → {correct, questions}). */
    public record CandidateStats(LayerPath path, String name, int correct, int fixes, int breaks, TreeMap<Integer, int[]> levels) {}

    /**
     * A k-NN policy on one feature layer, averaged over the random splits: {@code vote} takes the
     * candidate most neighbours answer right; {@code consensus} the shortest one at least
     * {@code minAgreement} of them, and no fewer than under the full path, answer right
     * ({@link ConsensusLabels#choose}) — what routers trained on {@code scan-labels} labels approximate.
     */
    public record KnnStats(String policy, int featureLayer, int k, double meanDelta, double stdErr, double policyAccuracy, double fullAccuracy,
                           double meanLayers, int changedPerSplit) {}

    /**
     * A policy without features: the best candidate on the train part, for every held-out question
     * ({@code global}) or per DART level ({@code byLevel}: the level is metadata no router sees, so
     * this bounds what knowing a question's difficulty would add). {@code mostChosen}: the choice of
     * most splits (for byLevel, of the most frequent level).
     */
    public record GlobalStats(double meanDelta, double stdErr, double meanLayers, String mostChosen) {}

    public record Settings(int splits, double testFraction, long seed, int[] ks, double minAgreement) {
        public Settings {
            if (splits < 2) throw new IllegalArgumentException("--splits must be >= 2 (a standard error needs two), got " + splits);
            if (!(testFraction > 0 && testFraction < 1)) throw new IllegalArgumentException("--test-fraction must be in (0, 1), got " + testFraction);
            if (ks.length == 0) throw new IllegalArgumentException("at least one k");
            for (int k : ks) if (k < 1) throw new IllegalArgumentException("k must be >= 1, got " + k);
            if (!(minAgreement >= 0 && minAgreement <= 1)) throw new IllegalArgumentException("--min-agreement must be in [0, 1], got " + minAgreement);
            ks = ks.clone();
        }

        public static Settings defaults() { return new Settings(20, 0.2, 0, new int[]{16, 64}, 1.0); }
    }

    private final ScanHeader header;
    private final Settings settings;
    private final int questions, skipped;
    private final List<CandidateStats> candidates;
    private final int oracle;
    private final TreeMap<Integer, int[]> oracleLevels;
    private final List<KnnStats> knn;
    private final GlobalStats global, byLevel;
    /** Full path wrong: how many, how many of them some edit fixes, edits fixing each (summed); full path right: edits breaking each (summed). */
    private final int wrong, fixable;
    private final long fixers, breakers;

    private ScanReport(ScanHeader header, Settings settings, int questions, int skipped, List<CandidateStats> candidates, int oracle,
                       TreeMap<Integer, int[]> oracleLevels, List<KnnStats> knn, GlobalStats global, GlobalStats byLevel,
                       int wrong, int fixable, long fixers, long breakers) {
        this.header = header;
        this.settings = settings;
        this.questions = questions;
        this.skipped = skipped;
        this.candidates = candidates;
        this.oracle = oracle;
        this.oracleLevels = oracleLevels;
        this.knn = knn;
        this.global = global;
        this.byLevel = byLevel;
        this.wrong = wrong;
        this.fixable = fixable;
        this.fixers = fixers;
        this.breakers = breakers;
    }

    public static ScanReport of(ScanFile.Scan scan, Settings s) {
        ScanHeader h = scan.header();
        List<ScanRecord> rs = scan.records().stream().filter(ScanRecord::ok).sorted((a, b) -> Integer.compare(a.index(), b.index())).toList();
        int skipped = scan.records().size() - rs.size();
        if (rs.isEmpty()) throw new IllegalArgumentException("the scan holds no evaluated questions");
        int n = rs.size(), nc = h.candidates().size();
        boolean[][] m = new boolean[n][nc];
        for (int i = 0; i < n; i++) for (int c = 0; c < nc; c++) m[i][c] = rs.get(i).correct(c);
        int[] levels = rs.stream().mapToInt(ScanRecord::level).toArray();

        List<CandidateStats> cs = new ArrayList<>();
        for (int c = 0; c < nc; c++) {
            int correct = 0, fixes = 0, breaks = 0;
            TreeMap<Integer, int[]> lv = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                if (m[i][c]) correct++;
                if (m[i][c] && !m[i][0]) fixes++;
                if (!m[i][c] && m[i][0]) breaks++;
                if (levels[i] != 0) {
                    int[] a = lv.computeIfAbsent(levels[i], x -> new int[2]);
                    a[0] += m[i][c] ? 1 : 0;
                    a[1]++;
                }
            }
            cs.add(new CandidateStats(h.candidates().get(c), EditScan.describe(h.candidates().get(c)), correct, fixes, breaks, lv));
        }
        int oracle = 0;
        TreeMap<Integer, int[]> ol = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            boolean any = false;
            for (int c = 0; c < nc && !any; c++) any = m[i][c];
            if (any) oracle++;
            if (levels[i] != 0) {
                int[] a = ol.computeIfAbsent(levels[i], x -> new int[2]);
                a[0] += any ? 1 : 0;
                a[1]++;
            }
        }
        int wrong = 0, fixable = 0;
        long fixers = 0, breakers = 0;
        for (int i = 0; i < n; i++) {
            int edits = 0;
            for (int c = 1; c < nc; c++) if (m[i][c]) edits++;
            if (m[i][0]) {
                breakers += nc - 1 - edits;
            } else {
                wrong++;
                if (edits > 0) fixable++;
                fixers += edits;
            }
        }
        int[] lengths = h.candidates().stream().mapToInt(LayerPath::length).toArray();
        int[][] splits = splits(n, s);
        List<KnnStats> knn = new ArrayList<>();
        if (n >= 2) {
            for (int l : h.featureLayers()) {
                float[][] x = new float[n][];
                for (int i = 0; i < n; i++) x[i] = rs.get(i).features().get(l);
                knn.addAll(knn(l, x, m, lengths, splits, s));
            }
        }
        GlobalStats global = n >= 2 ? grouped(m, lengths, splits, s, cs, new int[n]) : null;
        boolean hasLevels = Arrays.stream(levels).anyMatch(l -> l != 0);
        GlobalStats byLevel = n >= 2 && hasLevels ? grouped(m, lengths, splits, s, cs, levels) : null;
        return new ScanReport(h, s, n, skipped, cs, oracle, ol, knn, global, byLevel, wrong, fixable, fixers, breakers);
    }

    /** The seeded random permutations shared by every layer and k (paired comparisons); the first nTest entries are the test part. */
    static int[][] splits(int n, Settings s) {
        SplittableRandom rng = new SplittableRandom(s.seed());
        int[][] out = new int[s.splits()][];
        for (int r = 0; r < s.splits(); r++) {
            int[] p = new int[n];
            for (int i = 0; i < n; i++) p[i] = i;
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = p[i];
                p[i] = p[j];
                p[j] = t;
            }
            out[r] = p;
        }
        return out;
    }

    static int testSize(int n, double testFraction) {
        return Math.clamp(Math.round(n * testFraction), 1, n - 1);
    }

    private static final String[] POLICIES = {"vote", "consensus"};

    /**
     * Both k-NN policies for every k in the settings. Per split: features standardised per
     * dimension over the train part (a dimension constant there carries no information and is
     * dropped), rows scaled to unit length, neighbours by the largest dot product (ties by position,
     * so the result is deterministic). Vote: the candidate most neighbours answer right, ties going
     * to the earlier candidate — the full path first, so without evidence the policy keeps it.
     * Consensus: {@link ConsensusLabels#choose} over every candidate, ties by the train part's counts.
     */
    static List<KnnStats> knn(int layer, float[][] x, boolean[][] m, int[] lengths, int[][] splits, Settings s) {
        int n = x.length, h = x[0].length, nc = lengths.length, np = POLICIES.length;
        int nTest = testSize(n, s.testFraction()), nTrain = n - nTest;
        int[] ks = Arrays.stream(s.ks()).map(k -> Math.min(k, nTrain)).toArray();
        double[][][] delta = new double[np][ks.length][splits.length], acc = new double[np][ks.length][splits.length],
                layers = new double[np][ks.length][splits.length];
        double[] fullAcc = new double[splits.length];
        long[][] changed = new long[np][ks.length];
        int maxK = Arrays.stream(ks).max().orElseThrow();
        int[] top = new int[maxK];
        double[] topSim = new double[maxK];
        for (int r = 0; r < splits.length; r++) {
            int[] perm = splits[r];
            double[][] z = standardised(x, perm, nTest, h);
            int fullRight = 0;
            for (int t = 0; t < nTest; t++) if (m[perm[t]][0]) fullRight++;
            fullAcc[r] = (double) fullRight / nTest;
            int[] pool = new int[nc];
            for (int j = nTest; j < n; j++) for (int c = 0; c < nc; c++) if (m[perm[j]][c]) pool[c]++;
            int[][] right = new int[np][ks.length];
            long[][] len = new long[np][ks.length];
            for (int t = 0; t < nTest; t++) {
                nearest(z, t, nTest, n, -1, maxK, top, topSim);
                int[] votes = new int[nc];
                int taken = 0;
                for (int ki : sortedIndex(ks)) {
                    for (; taken < ks[ki]; taken++) {
                        boolean[] row = m[perm[top[taken]]];
                        for (int c = 0; c < nc; c++) if (row[c]) votes[c]++;
                    }
                    int[] chosen = {argmax(votes), ConsensusLabels.choose(votes, ks[ki], s.minAgreement(), lengths, pool, c -> true)};
                    for (int pi = 0; pi < np; pi++) {
                        int best = chosen[pi];
                        if (m[perm[t]][best]) right[pi][ki]++;
                        len[pi][ki] += lengths[best];
                        if (best != 0) changed[pi][ki]++;
                    }
                }
            }
            for (int pi = 0; pi < np; pi++) {
                for (int ki = 0; ki < ks.length; ki++) {
                    acc[pi][ki][r] = (double) right[pi][ki] / nTest;
                    delta[pi][ki][r] = acc[pi][ki][r] - fullAcc[r];
                    layers[pi][ki][r] = (double) len[pi][ki] / nTest;
                }
            }
        }
        List<KnnStats> out = new ArrayList<>();
        for (int pi = 0; pi < np; pi++) {
            for (int ki = 0; ki < ks.length; ki++) {
                out.add(new KnnStats(POLICIES[pi], layer, ks[ki], mean(delta[pi][ki]), stdErr(delta[pi][ki]), mean(acc[pi][ki]), mean(fullAcc),
                        mean(layers[pi][ki]), (int) Math.round((double) changed[pi][ki] / splits.length)));
            }
        }
        return out;
    }

    /**
     * The {@code k} rows of {@code z[from..to)} (other than {@code exclude}) most similar to row
     * {@code query} by dot product, most similar first, into {@code top} (row numbers) and
     * {@code topSim}; returns how many were found. Insertion into a sorted list: the strict
     * comparisons keep the earlier row ahead on a tie, so the result is deterministic.
     */
    static int nearest(double[][] z, int query, int from, int to, int exclude, int k, int[] top, double[] topSim) {
        double[] q = z[query];
        int h = q.length, filled = 0;
        for (int j = from; j < to; j++) {
            if (j == exclude) continue;
            double d = 0;
            double[] v = z[j];
            for (int e = 0; e < h; e++) d += q[e] * v[e];
            if (filled == k && d <= topSim[k - 1]) continue;
            int at = Math.min(filled, k - 1);
            while (at > 0 && d > topSim[at - 1]) {
                topSim[at] = topSim[at - 1];
                top[at] = top[at - 1];
                at--;
            }
            topSim[at] = d;
            top[at] = j;
            if (filled < k) filled++;
        }
        return filled;
    }

    /** Rows in split order (test part first), standardised with the train part's statistics and scaled to unit length. */
    static double[][] standardised(float[][] x, int[] perm, int nTest, int h) {
        int n = x.length, nTrain = n - nTest;
        double[] mu = new double[h], sd = new double[h];
        for (int j = nTest; j < n; j++) for (int e = 0; e < h; e++) mu[e] += x[perm[j]][e];
        for (int e = 0; e < h; e++) mu[e] /= nTrain;
        for (int j = nTest; j < n; j++) for (int e = 0; e < h; e++) {
            double d = x[perm[j]][e] - mu[e];
            sd[e] += d * d;
        }
        for (int e = 0; e < h; e++) sd[e] = Math.sqrt(sd[e] / nTrain);
        double[][] z = new double[n][h];
        for (int j = 0; j < n; j++) {
            double norm = 0;
            for (int e = 0; e < h; e++) {
                // relative floor: a float32 mean constant over the train part still jitters by rounding
                double v = sd[e] > 1e-6 * (Math.abs(mu[e]) + 1e-12) ? (x[perm[j]][e] - mu[e]) / sd[e] : 0;
                z[j][e] = v;
                norm += v * v;
            }
            if (norm > 0) {
                double inv = 1 / Math.sqrt(norm);
                for (int e = 0; e < h; e++) z[j][e] *= inv;
            }
        }
        return z;
    }

    private static int[] sortedIndex(int[] ks) {
        Integer[] idx = new Integer[ks.length];
        for (int i = 0; i < ks.length; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> Integer.compare(ks[a], ks[b]));
        return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
    }

    private static int argmax(int[] v) {
        int best = 0;
        for (int c = 1; c < v.length; c++) if (v[c] > v[best]) best = c;
        return best;
    }

    /** Best candidate per group on the train part, applied to the held-out questions of that group (an unseen group keeps the full path). */
    private static GlobalStats grouped(boolean[][] m, int[] lengths, int[][] splits, Settings s, List<CandidateStats> cs, int[] group) {
        int n = m.length, nc = lengths.length, nTest = testSize(n, s.testFraction());
        double[] delta = new double[splits.length], layers = new double[splits.length];
        TreeMap<Integer, Integer> size = new TreeMap<>();
        for (int g : group) size.merge(g, 1, Integer::sum);
        int common = size.entrySet().stream().max((a, b) -> Integer.compare(a.getValue(), b.getValue())).orElseThrow().getKey();
        int[] chosen = new int[nc];
        for (int r = 0; r < splits.length; r++) {
            int[] perm = splits[r];
            TreeMap<Integer, int[]> votes = new TreeMap<>();
            for (int j = nTest; j < n; j++) {
                int[] v = votes.computeIfAbsent(group[perm[j]], g -> new int[nc]);
                for (int c = 0; c < nc; c++) if (m[perm[j]][c]) v[c]++;
            }
            if (votes.containsKey(common)) chosen[argmax(votes.get(common))]++;
            int d = 0;
            long len = 0;
            for (int t = 0; t < nTest; t++) {
                int[] v = votes.get(group[perm[t]]);
                int best = v == null ? 0 : argmax(v);
                d += (m[perm[t]][best] ? 1 : 0) - (m[perm[t]][0] ? 1 : 0);
                len += lengths[best];
            }
            delta[r] = (double) d / nTest;
            layers[r] = (double) len / nTest;
        }
        return new GlobalStats(mean(delta), stdErr(delta), mean(layers), cs.get(argmax(chosen)).name());
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    /** Sample standard deviation / sqrt(count). */
    static double stdErr(double[] v) {
        double mu = mean(v), s = 0;
        for (double x : v) s += (x - mu) * (x - mu);
        return Math.sqrt(s / (v.length - 1)) / Math.sqrt(v.length);
    }

    public int questions() { return questions; }

    public List<CandidateStats> candidates() { return candidates; }

    public int oracle() { return oracle; }

    public List<KnnStats> knn() { return knn; }

    public GlobalStats global() { return global; }

    public GlobalStats byLevel() { return byLevel; }

    private static String pct(int a, int b) {
        return b == 0 ? "-" : String.format(Locale.ROOT, "%.1f", 100.0 * a / b);
    }

    private static String levelsText(TreeMap<Integer, int[]> lv) {
        StringBuilder sb = new StringBuilder();
        for (var e : lv.entrySet()) sb.append(String.format(Locale.ROOT, " L%d %s%% (%d/%d)", e.getKey(), pct(e.getValue()[0], e.getValue()[1]),
                e.getValue()[0], e.getValue()[1]));
        return sb.toString();
    }

    public String text() {
        StringBuilder sb = new StringBuilder();
        CandidateStats full = candidates.getFirst();
        sb.append(String.format(Locale.ROOT, "edit scan: task %s, %d questions%s, %d candidate paths, model %s (fingerprint %s)%n",
                header.task(), questions, skipped > 0 ? " (" + skipped + " more could not be evaluated)" : "", candidates.size(),
                header.model(), header.modelFingerprint()));
        sb.append(String.format(Locale.ROOT, "full path: %s%% (%d/%d)%s%n", pct(full.correct(), questions), full.correct(), questions,
                levelsText(full.levels())));
        sb.append(String.format(Locale.ROOT, "oracle (any candidate right): %s%% (%d/%d)%s%n", pct(oracle, questions), oracle, questions,
                levelsText(oracleLevels)));
        int right = questions - wrong;
        sb.append(String.format(Locale.ROOT, "full path wrong on %d questions: %d of them fixed by some other candidate, by %.1f of the %d on average;"
                        + " a question it answers right is broken by %.1f of them on average%n", wrong, fixable,
                wrong == 0 ? 0.0 : (double) fixers / wrong, candidates.size() - 1, right == 0 ? 0.0 : (double) breakers / right));
        TreeSet<Integer> levelKeys = new TreeSet<>(full.levels().keySet());
        sb.append(String.format(Locale.ROOT, "%n%-14s %4s %7s", "candidate", "len", "acc %"));
        for (int l : levelKeys) sb.append(String.format(Locale.ROOT, " %6s", "L" + l + " %"));
        sb.append(String.format(Locale.ROOT, " %6s %6s %6s%n", "fixes", "breaks", "net"));
        for (CandidateStats c : candidates) {
            sb.append(String.format(Locale.ROOT, "%-14s %4d %7s", c.name(), c.path().length(), pct(c.correct(), questions)));
            for (int l : levelKeys) {
                int[] a = c.levels().get(l);
                sb.append(String.format(Locale.ROOT, " %6s", a == null ? "-" : pct(a[0], a[1])));
            }
            sb.append(String.format(Locale.ROOT, " %6d %6d %+6d%n", c.fixes(), c.breaks(), c.fixes() - c.breaks()));
        }
        if (!knn.isEmpty() || global != null) {
            sb.append(String.format(Locale.ROOT, "%nk-NN policies: %d seeded random splits (seed %d), %.0f%% of the questions held out in each.%n"
                            + "Features standardised on the train part, cosine similarity. vote: a held-out question takes the candidate%n"
                            + "right most often among its k nearest train questions (ties: the full path). consensus: the shortest candidate%n"
                            + "at least %.0f%% of them, and no fewer than with the full path, answer right (what scan-labels labels teach).%n"
                            + "delta = policy - full path accuracy on the held-out part, mean over splits +- standard error (the splits%n"
                            + "reuse one sample of questions, so this understates the spread on a fresh sample).%n",
                    settings.splits(), settings.seed(), 100 * settings.testFraction(), 100 * settings.minAgreement()));
            sb.append(String.format(Locale.ROOT, "%-10s %-8s %4s %16s %10s %10s %8s %8s%n", "policy", "layer", "k", "delta (points)", "policy %", "full %",
                    "layers", "changed"));
            for (KnnStats k : knn) {
                sb.append(String.format(Locale.ROOT, "%-10s %-8d %4d %+8.2f +- %4.2f %10.2f %10.2f %8.2f %8d%n", k.policy(), k.featureLayer(), k.k(),
                        100 * k.meanDelta(), 100 * k.stdErr(), 100 * k.policyAccuracy(), 100 * k.fullAccuracy(), k.meanLayers(), k.changedPerSplit()));
            }
            if (global != null) {
                sb.append(String.format(Locale.ROOT, "%-24s %+8.2f +- %4.2f %21s %8.2f   (one path for all: the best on the train part, mostly '%s')%n",
                        "no features", 100 * global.meanDelta(), 100 * global.stdErr(), "", global.meanLayers(), global.mostChosen()));
            }
            if (byLevel != null) {
                sb.append(String.format(Locale.ROOT, "%-24s %+8.2f +- %4.2f %21s %8.2f   (best path per level on the train part: the level is not visible to a router)%n",
                        "by level", 100 * byLevel.meanDelta(), 100 * byLevel.stdErr(), "", byLevel.meanLayers()));
            }
            sb.append("(layers: mean path length of the chosen candidates; changed: held-out questions per split not given the full path)\n");
        }
        return sb.toString();
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("task", header.task());
        o.put("model", header.model());
        o.put("model_fingerprint", header.modelFingerprint());
        o.put("questions", questions);
        o.put("not_evaluated", skipped);
        o.put("full_accuracy", (double) candidates.getFirst().correct() / questions);
        o.put("oracle_accuracy", (double) oracle / questions);
        levelsJson(o.putObject("oracle_levels"), oracleLevels);
        o.put("full_wrong", wrong);
        o.put("full_wrong_fixable", fixable);
        o.put("mean_fixing_candidates_when_full_wrong", wrong == 0 ? 0.0 : (double) fixers / wrong);
        o.put("mean_breaking_candidates_when_full_right", questions == wrong ? 0.0 : (double) breakers / (questions - wrong));
        ArrayNode ca = o.putArray("candidates");
        for (CandidateStats c : candidates) {
            ObjectNode j = ca.addObject();
            j.put("name", c.name());
            ArrayNode p = j.putArray("path");
            for (int l : c.path().layers()) p.add(l);
            j.put("length", c.path().length());
            j.put("correct", c.correct());
            j.put("accuracy", (double) c.correct() / questions);
            j.put("fixes", c.fixes());
            j.put("breaks", c.breaks());
            levelsJson(j.putObject("levels"), c.levels());
        }
        ObjectNode k = o.putObject("knn");
        k.put("splits", settings.splits());
        k.put("test_fraction", settings.testFraction());
        k.put("seed", settings.seed());
        k.put("min_agreement", settings.minAgreement());
        ArrayNode rows = k.putArray("results");
        for (KnnStats s : knn) {
            ObjectNode j = rows.addObject();
            j.put("policy", s.policy());
            j.put("feature_layer", s.featureLayer());
            j.put("k", s.k());
            j.put("mean_delta", s.meanDelta());
            j.put("std_err", s.stdErr());
            j.put("policy_accuracy", s.policyAccuracy());
            j.put("full_accuracy", s.fullAccuracy());
            j.put("mean_layers", s.meanLayers());
            j.put("changed_per_split", s.changedPerSplit());
        }
        if (global != null) {
            ObjectNode g = k.putObject("no_features");
            g.put("mean_delta", global.meanDelta());
            g.put("std_err", global.stdErr());
            g.put("mean_layers", global.meanLayers());
            g.put("most_chosen", global.mostChosen());
        }
        if (byLevel != null) {
            ObjectNode g = k.putObject("by_level");
            g.put("mean_delta", byLevel.meanDelta());
            g.put("std_err", byLevel.stdErr());
            g.put("mean_layers", byLevel.meanLayers());
        }
        return o;
    }

    private static void levelsJson(ObjectNode o, TreeMap<Integer, int[]> lv) {
        for (var e : lv.entrySet()) {
            ObjectNode j = o.putObject(Integer.toString(e.getKey()));
            j.put("correct", e.getValue()[0]);
            j.put("questions", e.getValue()[1]);
        }
    }
}
