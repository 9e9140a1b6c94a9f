package dev.drllm.analysis;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.runtime.LayerPath;
import dev.drllm.util.Json;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Router labels a prefill router can learn, from an edit scan: for every question the shortest
 * candidate path that answers it correctly <em>and</em> answers its feature-space neighbourhood at
 * least as well as the full path does.
 *
 * <p>Why not the MCTS labels directly: MCTS stops at the first correct path two layers shorter, and
 * on a small model many different pairs of layers are safe to skip for a given prompt, so the label
 * of a question is one arbitrary pair among many — and a question answered right by luck under some
 * edit gets that edit as its label although its neighbours break under it. Per layer, the skip
 * labels then look like noise to a router that reads the hidden state (on drllm-tiny they spread
 * almost evenly over layers 2–15, and routers trained on them reach macro-F1 0.42 and lose
 * accuracy wherever they skip). Consensus labels fix both: a path is only a label where the
 * question's k nearest neighbours (leave-one-out, by the features the scan recorded — the prompt's
 * mean hidden state entering a layer, what a router reads) agree it is safe, and among equally
 * short safe paths every question takes the one most questions overall answer correctly with, so
 * similar inputs get the same label.
 *
 * <p>The full path is itself a candidate when the question's neighbourhood agrees on it (by the
 * same share); where it does not, a path the neighbourhood agrees on wins even if it is longer (a
 * repeat), as the router should learn it for that region. A question with no such path is labelled
 * with the full path, whether the full path answers it right or not: "leave this kind of input
 * alone" is what the router should learn there; dropping
 * it (as the reference drops unsolved questions) would leave routers untrained exactly on the
 * inputs where an edit is least safe.
 */
public final class ConsensusLabels {
    private ConsensusLabels() {}

    /**
     * @param featureLayer  the scan feature (mean hidden state entering this layer) neighbours are found by
     * @param k             neighbours per question
     * @param minAgreement  least share of the neighbours a candidate must answer correctly (and no less than the full path's share)
     * @param holdOutLast   the questions among the last N indices of the scan (the last N of its task file when the scan
     *                      covers the file) are neither labelled nor anybody's neighbour, so that
     *                      {@code train-routers --calibrate-last N} calibrates on questions the labels never saw
     */
    public record Settings(int featureLayer, int k, double minAgreement, int holdOutLast) {
        public Settings {
            if (k < 1) throw new IllegalArgumentException("--k must be >= 1, got " + k);
            if (!(minAgreement >= 0 && minAgreement <= 1)) throw new IllegalArgumentException("--min-agreement must be in [0, 1], got " + minAgreement);
            if (holdOutLast < 0) throw new IllegalArgumentException("--hold-out-last must be >= 0, got " + holdOutLast);
        }
    }

    /**
     * The label of one question: candidate {@code candidate} of the scan header ({@code path}),
     * with the share of its neighbours that candidate answers ({@code agreement}) and the full
     * path's share ({@code fullAgreement}).
     */
    public record Label(ScanRecord record, int candidate, LayerPath path, double agreement, double fullAgreement) {
        public boolean fullCorrect() { return record.correct(0); }

        public boolean correct() { return record.correct(candidate); }

        /** The label line in the format {@code drllm mcts} writes and {@code train-routers --labels} reads. */
        public ObjectNode toJson(int numLayers, List<LayerPath> candidates) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("task", record.task());
            o.put("index", record.index());
            o.put("id", record.id());
            if (record.level() != 0) o.put("level", record.level());
            o.put("num_layers", numLayers);
            o.put("source", "scan-labels");
            o.put("original_correct", fullCorrect());
            o.put("label_correct", correct());
            o.put("label", EditScan.describe(path));
            ArrayNode bp = o.putArray("best_path");
            for (int l : path.layers()) bp.add(l);
            o.put("best_length", path.length());
            ArrayNode lab = o.putArray("labels");
            for (int c : path.counts()) lab.add(c);
            o.put("agreement", Math.round(agreement * 1e4) / 1e4);
            o.put("full_agreement", Math.round(fullAgreement * 1e4) / 1e4);
            ArrayNode gp = o.putArray("good_paths");
            for (int c = 0; c < candidates.size(); c++) {
                if (!record.correct(c)) continue;
                ArrayNode p = gp.addArray();
                for (int l : candidates.get(c).layers()) p.add(l);
            }
            return o;
        }
    }

    /** Labels for every evaluated question of {@code scan} but the held-out tail, in index order. */
    public static List<Label> of(ScanFile.Scan scan, Settings s) {
        ScanHeader h = scan.header();
        if (!h.featureLayers().contains(s.featureLayer())) {
            throw new IllegalArgumentException("the scan recorded features entering layers " + h.featureLayers() + ", not " + s.featureLayer()
                    + " (pick one of those, or rerun edit-scan with --feature-layer " + s.featureLayer() + ")");
        }
        // by index, not by count: a question the scan could not evaluate still counts towards the
        // file's last N, as it does for train-routers --calibrate-last
        // long: an index of Integer.MAX_VALUE + 1 would wrap and hold every question out
        long end = scan.records().stream().mapToInt(ScanRecord::index).max().orElse(-1) + 1L - s.holdOutLast();
        List<ScanRecord> rs = scan.records().stream().filter(r -> r.ok() && r.index() < end)
                .sorted(Comparator.comparingInt(ScanRecord::index)).toList();
        if (rs.isEmpty() && s.holdOutLast() > 0) {
            throw new IllegalArgumentException("--hold-out-last " + s.holdOutLast() + " leaves none of the scan's evaluated questions to label");
        }
        int n = rs.size(), nc = h.candidates().size();
        if (n < 2) {
            throw new IllegalArgumentException("need at least 2 questions to find neighbours, the scan has " + n
                    + (s.holdOutLast() > 0 ? " evaluated outside the last " + s.holdOutLast() + " (--hold-out-last)" : " evaluated"));
        }
        int k = Math.min(s.k(), n - 1);
        float[][] x = new float[n][];
        for (int i = 0; i < n; i++) x[i] = rs.get(i).features().get(s.featureLayer());
        int[] identity = new int[n];
        for (int i = 0; i < n; i++) identity[i] = i;
        // statistics over every labelled question (the test part is empty)
        double[][] z = ScanReport.standardised(x, identity, 0, x[0].length);
        int[] pool = new int[nc];
        for (ScanRecord r : rs) for (int c = 0; c < nc; c++) if (r.correct(c)) pool[c]++;
        int[] lengths = h.candidates().stream().mapToInt(LayerPath::length).toArray();

        int[] top = new int[k];
        double[] topSim = new double[k];
        List<Label> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int found = ScanReport.nearest(z, i, 0, n, i, k, top, topSim);
            int[] votes = new int[nc];
            for (int j = 0; j < found; j++) {
                ScanRecord nb = rs.get(top[j]);
                for (int c = 0; c < nc; c++) if (nb.correct(c)) votes[c]++;
            }
            ScanRecord r = rs.get(i);
            int best = choose(votes, found, s.minAgreement(), lengths, pool, r::correct);
            out.add(new Label(r, best, h.candidates().get(best), (double) votes[best] / found, (double) votes[0] / found));
        }
        return out;
    }

    /**
     * The consensus choice among the candidates given the neighbours' right answers per candidate
     * ({@code votes}, out of {@code found}): eligible are the candidates {@code allowed} admits that
     * at least {@code minAgreement} of the neighbours, and no fewer than under the full path
     * (candidate 0), answer right. The full path competes when it is allowed and agreed on itself,
     * so then a longer path never wins; when it is not, a shared fix wins however long. No eligible
     * candidate: the full path. Used both to label a question ({@code allowed}: the paths that answer
     * it) and, in {@link ScanReport}, as a policy for unseen questions ({@code allowed}: every path).
     */
    static int choose(int[] votes, int found, double minAgreement, int[] lengths, int[] pool, java.util.function.IntPredicate allowed) {
        int need = (int) Math.ceil(minAgreement * found - 1e-9);
        int best = allowed.test(0) && votes[0] >= need ? 0 : -1;
        for (int c = 1; c < votes.length; c++) {
            if (!allowed.test(c) || votes[c] < need || votes[c] < votes[0]) continue;
            if (best < 0 || better(c, best, lengths, votes, pool)) best = c;
        }
        return Math.max(best, 0);
    }

    /** Shorter first; then more neighbours right; then more questions right overall (same label for similar inputs); then scan order. */
    private static boolean better(int c, int than, int[] lengths, int[] votes, int[] pool) {
        if (lengths[c] != lengths[than]) return lengths[c] < lengths[than];
        if (votes[c] != votes[than]) return votes[c] > votes[than];
        return pool[c] > pool[than];
    }
}
