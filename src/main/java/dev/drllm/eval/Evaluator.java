package dev.drllm.eval;

import dev.drllm.routing.RoutingDecision;
import dev.drllm.runtime.GenerationOptions;
import dev.drllm.runtime.GenerationResult;
import dev.drllm.runtime.Generator;
import dev.drllm.runtime.Prefill;
import dev.drllm.tokenizer.Tokenizer;

import java.util.List;
import java.util.Set;

/**
 * Answers task questions greedily under one prefill strategy (fixed path, routed, static skip)
 * and grades the replies with the MCTS rewards. The prompt is tokenised alone, without special
 * tokens (DESIGN.md §4); generation stops at a stop token or after the task's token budget.
 */
public final class Evaluator {
    /** One answered question. {@code decisions} are the per-layer run counts actually executed. */
    public record Outcome(int index, String id, int level, boolean correct, String reply, int[] path, int[] decisions,
                          long layerExecutions, int newTokens, int decodeSteps, double prefillMs, double decodeMs,
                          float[][] decisionLogits) {}

    private final Generator generator;
    private final Tokenizer tokenizer;
    private final Set<Integer> stopTokens;
    private final Prompts.Style style;

    public Evaluator(Generator generator, Tokenizer tokenizer, Set<Integer> stopTokens, Prompts.Style style) {
        this.generator = generator;
        this.tokenizer = tokenizer;
        this.stopTokens = stopTokens;
        this.style = style;
    }

    public int[] promptIds(Question q) {
        return promptIds(tokenizer, q, style);
    }

    /** The prompt tokens the model sees for {@code q} (also what router training teacher-forces on). */
    public static int[] promptIds(Tokenizer tokenizer, Question q, Prompts.Style style) {
        if (style == Prompts.Style.BASE) return tokenizer.encode(Prompts.base(q), false);
        String chat = tokenizer.renderChat(List.of(java.util.Map.of("role", "user", "content", Prompts.instruct(q))), true, Prompts.chatVars());
        return tokenizer.encode(chat, false);
    }

    public Outcome answer(Question q, Prefill prefill) {
        return answer(q, promptIds(q), prefill);
    }

    /**
     * Answers {@code q} from its already tokenised prompt. Safe to call from several threads at once
     * (each generation has its own KV cache; decoding the reply is serialised on the tokenizer).
     */
    public Outcome answer(Question q, int[] prompt, Prefill prefill) {
        GenerationResult r = generator.generate(prompt, prefill, GenerationOptions.greedy(q.task().maxNewTokens(), stopTokens));
        int[] ids = r.ids();
        String reply;
        synchronized (tokenizer) {
            reply = tokenizer.decode(ids, true);
        }
        boolean promptEndsInBox = style == Prompts.Style.BASE && q.task() == Task.DART;
        boolean correct = Rewards.correct(q, reply, promptEndsInBox);
        float[][] logits = r.prefillDetails() instanceof RoutingDecision d ? d.decisionLogits() : null;
        return new Outcome(q.index(), q.id(), q.level(), correct, reply, r.path().layers(), r.path().counts(), r.layerExecutions(),
                ids.length, r.decodeSteps(), r.prefillMs(), r.decodeMs(), logits);
    }
}
