package dev.drllm.train;

/**
 * Router quality over (question, layer) decisions: the confusion matrix of label vs prediction,
 * macro-F1 and per-class F1, skip and repeat accuracy (recall on the examples labelled skip /
 * repeat, the rare classes the paper reports separately), per-layer accuracy, and the average
 * path length the predictions imply (sum of predicted run counts per question) beside the
 * labelled one.
 */
public record RouterMetrics(long[][] confusion, double loss, double avgPredictedPathLength, double avgLabelPathLength) {
    public static final String[] CLASS_NAMES = {"skip", "execute", "repeat"};

    /**
     * @param labels      [questions][layers] run counts
     * @param predictions [questions][layers] predicted run counts
     */
    public static RouterMetrics of(int[][] labels, int[][] predictions, double loss) {
        long[][] cm = new long[3][3];
        long predLen = 0, labelLen = 0;
        for (int q = 0; q < labels.length; q++) {
            for (int l = 0; l < labels[q].length; l++) {
                cm[labels[q][l]][predictions[q][l]]++;
                predLen += predictions[q][l];
                labelLen += labels[q][l];
            }
        }
        int n = Math.max(1, labels.length);
        return new RouterMetrics(cm, loss, (double) predLen / n, (double) labelLen / n);
    }

    public long total() {
        long t = 0;
        for (long[] row : confusion) for (long v : row) t += v;
        return t;
    }

    public double accuracy() {
        long t = total();
        return t == 0 ? 0 : (double) (confusion[0][0] + confusion[1][1] + confusion[2][2]) / t;
    }

    /** Recall of class c: the share of examples labelled c that were predicted c (NaN when none are labelled c). */
    public double recall(int c) {
        long support = confusion[c][0] + confusion[c][1] + confusion[c][2];
        return support == 0 ? Double.NaN : (double) confusion[c][c] / support;
    }

    public double precision(int c) {
        long predicted = confusion[0][c] + confusion[1][c] + confusion[2][c];
        return predicted == 0 ? 0 : (double) confusion[c][c] / predicted;
    }

    /** F1 of class c; 0 when the class is never labelled or never predicted (sklearn's zero_division=0). */
    public double f1(int c) {
        double r = recall(c);
        if (Double.isNaN(r)) r = 0;
        double p = precision(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** Mean F1 over the classes that occur among the labels or the predictions (sklearn's macro average). */
    public double macroF1() {
        double s = 0;
        int k = 0;
        for (int c = 0; c < 3; c++) {
            if (support(c) == 0 && confusion[0][c] + confusion[1][c] + confusion[2][c] == 0) continue;
            s += f1(c);
            k++;
        }
        return k == 0 ? 0 : s / k;
    }

    public long support(int c) {
        return confusion[c][0] + confusion[c][1] + confusion[c][2];
    }

    public double skipAccuracy() { return recall(0); }

    public double repeatAccuracy() { return recall(2); }

    /** One line for the per-epoch log. */
    public String summary() {
        return String.format(java.util.Locale.ROOT,
                "loss %.4f  acc %.4f  macro-F1 %.4f  F1 skip/exec/repeat %.3f/%.3f/%.3f  skip-acc %s  repeat-acc %s  path %.2f (labels %.2f)",
                loss, accuracy(), macroF1(), f1(0), f1(1), f1(2), fmt(skipAccuracy()), fmt(repeatAccuracy()),
                avgPredictedPathLength, avgLabelPathLength);
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(java.util.Locale.ROOT, "%.3f", v);
    }
}
