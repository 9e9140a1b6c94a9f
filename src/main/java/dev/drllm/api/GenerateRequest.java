package dev.drllm.api;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One generation: the prompt, how many tokens at most, how to sample, which layers to run, and
 * which tokens end it. Build with {@link #ofIds} or {@link #ofText} and the {@code with…} methods:
 * <pre>{@code
 * GenerateRequest r = GenerateRequest.ofIds(15, 27, 3).withMaxNewTokens(32).withSampling(Sampling.GREEDY);
 * }</pre>
 *
 * @param prompt       token ids, text (encoded without special tokens) or chat messages (chat template)
 * @param maxNewTokens at most this many new tokens (the stop token, when one ends it, included)
 * @param sampling     greedy or seeded temperature / top-p sampling
 * @param routing      the layers each forward pass runs (default {@link RoutingPolicy.Auto})
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

        /** Text, encoded without adding special tokens (DESIGN.md §4). */
        record Text(String text) implements Prompt {
            public Text {
                if (text == null) throw new InvalidRequestException("prompt text must not be null");
            }
        }

        /**
         * Chat messages ({@code role}, {@code content}) rendered with the tokenizer's chat template
         * and the generation prompt, then encoded, as transformers' {@code apply_chat_template} does.
         */
        record Chat(List<Map<String, Object>> messages) implements Prompt {
            public Chat {
                if (messages == null || messages.isEmpty()) throw new InvalidRequestException("chat messages must not be empty");
                messages = List.copyOf(messages);
            }
        }
    }

    public GenerateRequest {
        if (prompt == null) throw new InvalidRequestException("prompt must not be null");
        if (maxNewTokens < 0) throw new InvalidRequestException("maxNewTokens must be >= 0, got " + maxNewTokens);
        if (sampling == null) sampling = Sampling.GREEDY;
        if (routing == null) routing = RoutingPolicy.auto();
        if (stopTokens != null) {
            for (Integer t : stopTokens) if (t == null) throw new InvalidRequestException("stop tokens must not contain null");
            stopTokens = Set.copyOf(stopTokens);
        }
    }

    public static GenerateRequest ofIds(int... ids) {
        return new GenerateRequest(new Prompt.Ids(ids), DEFAULT_MAX_NEW_TOKENS, Sampling.GREEDY, RoutingPolicy.auto(), null);
    }

    public static GenerateRequest ofText(String text) {
        return new GenerateRequest(new Prompt.Text(text), DEFAULT_MAX_NEW_TOKENS, Sampling.GREEDY, RoutingPolicy.auto(), null);
    }

    /** A chat of one user message, e.g. {@code ofChat("user", "What is 2+2?")}. */
    public static GenerateRequest ofChat(String role, String content) {
        return ofChat(List.of(Map.<String, Object>of("role", role, "content", content)));
    }

    public static GenerateRequest ofChat(List<Map<String, Object>> messages) {
        return new GenerateRequest(new Prompt.Chat(messages), DEFAULT_MAX_NEW_TOKENS, Sampling.GREEDY, RoutingPolicy.auto(), null);
    }

    public GenerateRequest withMaxNewTokens(int n) { return new GenerateRequest(prompt, n, sampling, routing, stopTokens); }

    public GenerateRequest withSampling(Sampling s) { return new GenerateRequest(prompt, maxNewTokens, s, routing, stopTokens); }

    public GenerateRequest withRouting(RoutingPolicy r) { return new GenerateRequest(prompt, maxNewTokens, sampling, r, stopTokens); }

    public GenerateRequest withStopTokens(Set<Integer> s) { return new GenerateRequest(prompt, maxNewTokens, sampling, routing, s); }
}
