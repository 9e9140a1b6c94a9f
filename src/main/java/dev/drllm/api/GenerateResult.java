package dev.drllm.api;

import dev.drllm.routing.RoutingDecision;

/**
 * A finished generation.
 *
 * @param promptIds      the prompt as token ids (after tokenisation for text prompts)
 * @param ids            the new tokens; the stop token is included when one ended the generation
 * @param text           the new tokens decoded (special tokens skipped), or null without a tokenizer
 * @param executedPath   the layer path every forward pass ran (decided once, at prefill)
 * @param layersExecuted blocks run over all forward passes: path length × (1 + decode steps),
 *                       the paper's count
 * @param stopReason     why it ended
 * @param timings        where the time went
 * @param routing        what the routers decided, or null when the request did not route
 */
public record GenerateResult(int[] promptIds, int[] ids, String text, int[] executedPath, long layersExecuted,
                             StopReason stopReason, Timings timings, Routing routing) {
    /**
     * The routers' decision for this input (DESIGN.md §1: once per input, at prefill).
     *
     * @param decisions per layer the run count used: 0 skip, 1 execute, 2 repeat
     * @param capped    whether the request's maxPath changed the routers' argmax decisions
     * @param routingMs time spent pooling hidden states and running the routers (part of prefill)
     */
    public record Routing(int[] decisions, boolean capped, double routingMs) {
        public int skipped() { return RoutingDecision.count(decisions, 0); }

        public int repeated() { return RoutingDecision.count(decisions, 2); }
    }

    public enum StopReason {
        /** a stop token was generated (it is the last of {@link #ids()}) */
        STOP_TOKEN,
        /** {@code maxNewTokens} were generated */
        MAX_TOKENS,
        /**
         * {@link Session#cancel()} (also one made before the generation started), an interrupt of the
         * generating thread, the stream was closed or dropped, or the model / session was closed
         */
        CANCELLED,
        /** the generation failed and its exception was thrown (seen only in {@link TokenStream#result()} afterwards) */
        ERROR
    }

    /**
     * @param prefillMs the prompt's forward pass (and routing, when routed)
     * @param decodeMs  every decode step after the first token
     * @param totalMs   from the start of the request to its end, tokenisation included
     * @param decodeSteps forward passes after prefill (one per new token but the first)
     */
    public record Timings(double prefillMs, double decodeMs, double totalMs, int decodeSteps) {
        /** Decode throughput, 0 when there was no decode step. */
        public double decodeTokensPerSecond() {
            return decodeSteps == 0 || decodeMs <= 0 ? 0 : decodeSteps * 1000.0 / decodeMs;
        }
    }

    public int promptTokenCount() { return promptIds.length; }

    public int generatedTokenCount() { return ids.length; }
}
