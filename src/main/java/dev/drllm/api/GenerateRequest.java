package dev.drllm.api;

import java.util.Arrays;
import java.util.Set;

/**
 * One generation: the prompt, how many tokens at most, how to sample, which layers to run, and
 * which tokens end it. Build with {@link #ofIds} or {@link #ofText} and the {@code with…} methods:
 * <pre>{@code
 * GenerateRequest r = GenerateRequest.ofIds(15, 27, 3).withMaxNewTokens(32).withSampling(Sampling.GREEDY);
 * }</pre>
 *
 * @param prompt       token ids, or text encoded with the model's tokenizer (no special tokens added)
 * @param maxNewTokens at most this many new tokens (the stop token, when one ends it, included)
 * @param sampling     greedy or seeded temperature / top-p sampling
 * @param routing      the layers each forward pass runs
 * @param stopTokens   tokens that end the generation; null = the model's own (generation_config.json)
 */
public record GenerateRequest(Prompt prompt, int maxNewTokens, Sampling sampling, RoutingPolicy routing, Set<Integer> stopTokens) {
    /** The default number of new tokens when none is given. */
    public static final int DEFAULT_MAX_NEW_TOKENS = 64;

    /** The prompt: either token ids or text. */
    public sealed interface Prompt {
        record Ids(int[] ids) implements Prompt {
            public Ids {
                if (ids == null) throw new InvalidRequestException("prompt ids must not be null");
                ids = ids.clone();
            }

            @Override
            public int[] ids() { return ids.clone(); }

            @Override
            public boolean equals(Object o) { return o instanceof Ids i && Arrays.equals(i.ids, ids); }

            @Override
            public int hashCode() { return Arrays.hashCode(ids); }

            @Override
            public String toString() { return "Ids" + Arrays.toString(ids); }
        }

        record Text(String text) implements Prompt {
            public Text {
                if (text == null) throw new InvalidRequestException("prompt text must not be null");
            }
        }
    }

    public GenerateRequest {
        if (prompt == null) throw new InvalidRequestException("prompt must not be null");
        if (maxNewTokens < 0) throw new InvalidRequestException("maxNewTokens must be >= 0, got " + maxNewTokens);
        if (sampling == null) sampling = Sampling.GREEDY;
        if (routing == null) routing = RoutingPolicy.allLayers();
        if (stopTokens != null) {
            for (Integer t : stopTokens) if (t == null) throw new InvalidRequestException("stop tokens must not contain null");
            stopTokens = Set.copyOf(stopTokens);
        }
    }

    public static GenerateRequest ofIds(int... ids) {
        return new GenerateRequest(new Prompt.Ids(ids), DEFAULT_MAX_NEW_TOKENS, Sampling.GREEDY, RoutingPolicy.allLayers(), null);
    }

    public static GenerateRequest ofText(String text) {
        return new GenerateRequest(new Prompt.Text(text), DEFAULT_MAX_NEW_TOKENS, Sampling.GREEDY, RoutingPolicy.allLayers(), null);
    }

    public GenerateRequest withMaxNewTokens(int n) { return new GenerateRequest(prompt, n, sampling, routing, stopTokens); }

    public GenerateRequest withSampling(Sampling s) { return new GenerateRequest(prompt, maxNewTokens, s, routing, stopTokens); }

    public GenerateRequest withRouting(RoutingPolicy r) { return new GenerateRequest(prompt, maxNewTokens, sampling, r, stopTokens); }

    public GenerateRequest withStopTokens(Set<Integer> s) { return new GenerateRequest(prompt, maxNewTokens, sampling, routing, s); }
}
