package dev.drllm.eval;

import java.util.Locale;

/**
 * The two task layouts of the paper's training data: ARC multiple choice ({@code question},
 * {@code choices.text/label}, {@code answerKey}) and DART-Math ({@code query}, {@code gt_ans},
 * {@code query_metadata.level}). Generation lengths cover the answer plus EOS with a margin: a
 * letter is one token, the tiny model's DART answers are at most ~10 tokens (single digits).
 */
public enum Task {
    ARC(4), DART(24);

    private final int maxNewTokens;

    Task(int maxNewTokens) {
        this.maxNewTokens = maxNewTokens;
    }

    /** Greedy tokens generated per evaluation (generation also stops at EOS). */
    public int maxNewTokens() { return maxNewTokens; }

    public String id() { return name().toLowerCase(Locale.ROOT); }

    public static Task parse(String s) {
        return switch (s == null ? "" : s.strip().toLowerCase(Locale.ROOT)) {
            case "arc" -> ARC;
            case "dart" -> DART;
            default -> throw new IllegalArgumentException("unknown task '" + s + "' (expected arc or dart)");
        };
    }
}
