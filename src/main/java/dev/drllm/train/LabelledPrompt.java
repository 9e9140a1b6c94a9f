package dev.drllm.train;

/**
 * One MCTS-labelled training example: the prompt's token ids and the per-layer run counts of its
 * labelled path (0 skip, 1 execute, 2 repeat; DESIGN.md §1 "label").
 *
 * @param group a stratum for reporting and the held-out split (the task, e.g. "arc" / "dart")
 */
public record LabelledPrompt(String id, String group, int[] prompt, int[] counts) {
    public LabelledPrompt {
        if (prompt.length == 0) throw new IllegalArgumentException(id + ": empty prompt");
        for (int c : counts) if (c < 0 || c > 2) throw new IllegalArgumentException(id + ": label " + c + " is not 0, 1 or 2");
    }
}
