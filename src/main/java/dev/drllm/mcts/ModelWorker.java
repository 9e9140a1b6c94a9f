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
    private final long[] counters = new long[5];

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
                    counters[0] += runner.promptSlotsComputed();
                    counters[1] += runner.promptSlotsReused();
                    counters[2] += runner.stepSlotsComputed();
                    counters[3] += runner.stepSlotsReused();
                    counters[4] += runner.runs();
                }
                runner.close();
            }
        };
    }

    /**
     * Benchmark counters over closed evaluators: prompt slots computed, prompt slots reused, decode
     * slots computed, decode slots reused, generations run.
     */
    public synchronized long[] counters() { return counters.clone(); }

    @Override
    public void close() { backend.close(); }
}
