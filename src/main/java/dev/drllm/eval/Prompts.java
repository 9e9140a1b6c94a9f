package dev.drllm.eval;

import java.util.Map;

/**
 * Prompt texts. Base models get the DESIGN.md §4 completions that the tiny model was trained on
 * (the DART prompt ends inside {@code \boxed{} so the reply is the answer and a closing brace).
 * Instruct models get the reference's instruct prompts as a single user turn, rendered through the
 * checkpoint's own chat template by the caller; the reference's stray leading quote in its ARC
 * instruct prompt is dropped.
 */
public final class Prompts {
    public enum Style { BASE, INSTRUCT }

    private Prompts() {}

    public static String base(Question q) {
        return switch (q.task()) {
            case ARC -> "Question: " + q.text() + "\n" + choices(q, true) + "\nAnswer: ";
            case DART -> "Question: " + q.text() + "\nAnswer: \\boxed{";
        };
    }

    /** The user message for instruct checkpoints (to be wrapped by the chat template). */
    public static String instruct(Question q) {
        return switch (q.task()) {
            case ARC -> "Question: " + q.text() + "\n" + choices(q, false)
                    + "\nAnswer with a single letter (A, B, C, or D) and no explanation. You answer should start with \"Answer: \""
                    + " and be followed by the letter of the answer you choose. Do not include any other text in your response.";
            case DART -> "Question: " + q.text() + "\nThe final answer MUST BE put in \\boxed{} and no explanation.";
        };
    }

    /** Chat-template variables: Qwen3 templates otherwise open a thinking block the short budgets cannot finish. */
    public static Map<String, Object> chatVars() {
        return Map.of("enable_thinking", false);
    }

    private static String choices(Question q, boolean base) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < q.choices().size(); i++) {
            if (i > 0) sb.append('\n');
            char letter = (char) ('A' + i);
            if (base) sb.append('(').append(letter).append(") ");
            else sb.append(letter).append(". ");
            sb.append(q.choices().get(i));
        }
        return sb.toString();
    }
}
