package dev.drllm.mcts;

import dev.drllm.eval.Question;
import dev.drllm.eval.Rewards;
import dev.drllm.runtime.Backend;
import dev.drllm.runtime.LayerPath;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A worker that scores paths with the model: greedy answers through a {@link PathRunner} (prefix
 * reuse on or off) and the task reward on the decoded reply. Owns its backend.
 */
public final class ModelWorker implements MctsJob.Worker {
    /** Text side of a task: the prompt ids for a question and the reply text for generated ids. */
    public interface Codec {
        int[] prompt(Question q);

        /** The reply with special tokens dropped. */
        String decode(int[] ids);

        /** Whether prompts end inside {@code \boxed{} (the base-model DART prompt). */
        boolean promptEndsInBox(Question q);
    }

    /** Trie budget per question: ample for 50 simulations on small models, bounded on large ones. */
    public static final long DEFAULT_PREFIX_BUDGET = 512L << 20;

    private final Backend backend;
    private final Codec codec;
    private final Set<Integer> stopTokens;
    private final boolean reusePrefixes;
    private final long budgetBytes;
    private long slotsComputed, slotsReused, runs;

    public ModelWorker(Backend backend, Codec codec, Set<Integer> stopTokens, boolean reusePrefixes, long budgetBytes) {
        this.backend = backend;
        this.codec = codec;
        this.stopTokens = Set.copyOf(stopTokens);
        this.reusePrefixes = reusePrefixes;
        this.budgetBytes = budgetBytes;
    }

    @Override
    public QuestionEvaluator open(Question q) {
        PathRunner runner = new PathRunner(backend, codec.prompt(q), q.task().maxNewTokens(), stopTokens, reusePrefixes, budgetBytes);
        boolean box = codec.promptEndsInBox(q);
        Map<LayerPath, String> replies = new HashMap<>();
        return new QuestionEvaluator() {
            @Override
            public boolean correct(LayerPath path) {
                String reply = codec.decode(runner.generate(path));
                replies.put(path, reply);
                return Rewards.correct(q, reply, box);
            }

            @Override
            public String reply(LayerPath path) { return replies.get(path); }

            @Override
            public void close() {
                synchronized (ModelWorker.this) {
                    slotsComputed += runner.slotsComputed();
                    slotsReused += runner.slotsReused();
                    runs += runner.runs();
                }
                runner.close();
            }
        };
    }

    /** Prompt slots computed / reused and generations run by closed evaluators (benchmark counters). */
    public synchronized long[] counters() { return new long[]{slotsComputed, slotsReused, runs}; }

    @Override
    public void close() { backend.close(); }
}
