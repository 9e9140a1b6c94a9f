package dev.drllm.eval;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MCTS / evaluation reward (DESIGN.md §1): 1 when the greedy reply is correct. ARC: the letter
 * matched by the reference's regex on the stripped reply. DART: the content of the last balanced
 * {@code \boxed{…}} judged equal to the gold answer by {@link MathGrader}.
 */
public final class Rewards {
    private static final Pattern LETTER = Pattern.compile("^(?:Answer:\\s*)?([A-Da-d])\\.?$");
    private static final String BOXED = "\\boxed{";

    private Rewards() {}

    /**
     * @param reply  the decoded new tokens (special tokens skipped)
     * @param promptEndsInBox true when the prompt itself opened {@code \boxed{} (base DART prompt),
     *                        so the reply is re-prefixed before extraction, as the reference does
     */
    public static boolean correct(Question q, String reply, boolean promptEndsInBox) {
        return switch (q.task()) {
            case ARC -> {
                String letter = arcLetter(reply);
                yield letter != null && letter.equalsIgnoreCase(q.gold().strip().substring(0, 1));
            }
            case DART -> {
                String content = lastBoxed(promptEndsInBox ? BOXED + reply : reply);
                yield content != null && MathGrader.equivalent(content, q.gold());
            }
        };
    }

    /** The answer letter, upper-case, or null when the reply is not just a letter. */
    public static String arcLetter(String reply) {
        Matcher m = LETTER.matcher(reply.strip());
        return m.matches() ? m.group(1).toUpperCase(java.util.Locale.ROOT) : null;
    }

    /** The content of the last {@code \boxed{…}} with balanced braces, or null (none, or cut off before closing). */
    public static String lastBoxed(String text) {
        int start = text.lastIndexOf(BOXED);
        while (start >= 0) {
            int depth = 1;
            int i = start + BOXED.length();
            for (; i < text.length(); i++) {
                char ch = text.charAt(i);
                if (ch == '\\' && i + 1 < text.length() && (text.charAt(i + 1) == '{' || text.charAt(i + 1) == '}')) {
                    i++; // an escaped brace \{ or \} is content, not structure
                    continue;
                }
                if (ch == '{') depth++;
                else if (ch == '}' && --depth == 0) return text.substring(start + BOXED.length(), i);
            }
            // unbalanced (a truncated reply): fall back to an earlier complete box, if any
            start = start == 0 ? -1 : text.lastIndexOf(BOXED, start - 1);
        }
        return null;
    }
}
