package dev.drllm.routing;

import dev.drllm.runtime.LayerPath;

/**
 * What routing decided for one input (DESIGN.md §3: numbers are not hidden). Returned as
 * {@code Prefill.Result.details()} by {@link RoutedPrefill}.
 *
 * @param routed         the argmax run counts per layer, before any cap (0 skip, 1 execute, 2 repeat)
 * @param decisions      the run counts actually used (after the cap); the executed path is made of them
 * @param decisionLogits per layer, the window-averaged router logits [L][3] (unbiased), computed on the
 *                       hidden state entering that layer along the argmax path; null when static routing
 *                       ran without routers
 * @param executedPath   the path prefill ran and decode follows
 * @param windows        windows used for the prompt ({@code min(W, T)}, or 1 for full pooling)
 * @param capped         whether the cap changed the path (prefill then ran the capped path again)
 * @param routingNanos   time spent reading hidden states, pooling and running routers
 * @param prefillNanos   the whole prefill, routing included
 */
public record RoutingDecision(int[] routed, int[] decisions, float[][] decisionLogits, LayerPath executedPath, int windows,
                              boolean capped, long routingNanos, long prefillNanos) {

    public int numLayers() { return decisions.length; }

    /** L minus the slots executed: positive when routing saves work, negative when repeats add some. */
    public int layersSaved() { return numLayers() - executedPath.length(); }

    public int skipped() { return count(decisions, 0); }

    public int repeated() { return count(decisions, 2); }

    /** How many layers got run count {@code runs} (0 skip, 1 execute, 2 repeat). */
    public static int count(int[] decisions, int runs) {
        int n = 0;
        for (int d : decisions) if (d == runs) n++;
        return n;
    }
}
