import dev.drllm.analysis.EditScan;
import dev.drllm.cpu.CpuBackend;
import dev.drllm.eval.Datasets;
import dev.drllm.eval.Question;
import dev.drllm.eval.Task;
import dev.drllm.mcts.Mcts;
import dev.drllm.mcts.ModelWorker;
import dev.drllm.mcts.QuestionEvaluator;
import dev.drllm.mcts.TokenizerCodec;
import dev.drllm.model.Model;
import dev.drllm.runtime.LayerPath;
import dev.drllm.tokenizer.Tokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Is there one multi-edit path that answers a kind of question better than the full path? A beam
 * search over paths (each step: every MCTS edit of the beam's paths, {@link Mcts#edits}) scored on
 * the even-numbered questions of the chosen levels, each step's leaders then checked on the
 * odd-numbered ones. A gain on the search half that does not reappear on the check half is luck.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp target/drllm.jar bench/analysis/PathSearch.java \
 *     MODEL_DIR arc|dart TASK.jsonl LEVELS|all BEAM DEPTH [THREADS]
 * e.g. ... models/drllm-tiny dart data/tasks/dart-train.jsonl 4 4 3
 * </pre>
 */
public class PathSearch {
    public static void main(String[] a) throws Exception {
        if (a.length < 6) {
            System.err.println("usage: PathSearch MODEL_DIR arc|dart TASK.jsonl LEVELS|all BEAM DEPTH [THREADS]");
            System.exit(2);
        }
        Path modelDir = Path.of(a[0]);
        List<Question> all = Datasets.load(Path.of(a[2]), Task.parse(a[1]));
        Set<Integer> levels = new HashSet<>();
        if (!a[3].equals("all")) for (String s : a[3].split(",")) levels.add(Integer.parseInt(s.strip()));
        int beam = Integer.parseInt(a[4]), depth = Integer.parseInt(a[5]);
        int threads = a.length > 6 ? Integer.parseInt(a[6]) : Runtime.getRuntime().availableProcessors();
        List<Question> search = new ArrayList<>(), check = new ArrayList<>();
        for (Question q : all) {
            if (!levels.isEmpty() && !levels.contains(q.level())) continue;
            (search.size() == check.size() ? search : check).add(q);
        }
        System.out.printf("levels %s: %d search questions, %d check questions%n", levels.isEmpty() ? "all" : levels, search.size(), check.size());
        try (Model m = Model.load(modelDir)) {
            Tokenizer tok = Tokenizer.load(modelDir);
            TokenizerCodec codec = new TokenizerCodec(tok, TokenizerCodec.style(modelDir, "auto"));
            Set<Integer> stops = new HashSet<>(m.stopTokens());
            stops.addAll(tok.stopTokenIds());
            ExecutorService ex = Executors.newFixedThreadPool(threads);
            ThreadLocal<ModelWorker> workers = ThreadLocal.withInitial(
                    () -> new ModelWorker(new CpuBackend(m, 1), codec, stops, true, ModelWorker.DEFAULT_PREFIX_BUDGET));
            int L = m.config().numLayers();
            LayerPath full = LayerPath.full(L);
            int[] fs = right(ex, workers, search, List.of(full)), fc = right(ex, workers, check, List.of(full));
            System.out.printf("full path: search %d/%d, check %d/%d%n", fs[0], search.size(), fc[0], check.size());
            List<LayerPath> frontier = List.of(full);
            Set<LayerPath> seen = new HashSet<>(frontier);
            for (int d = 1; d <= depth; d++) {
                long t0 = System.nanoTime();
                List<LayerPath> cands = new ArrayList<>();
                for (LayerPath p : frontier) for (LayerPath c : Mcts.edits(p)) if (c.length() <= 2 * L && seen.add(c)) cands.add(c);
                int[] score = right(ex, workers, search, cands);
                Integer[] order = new Integer[cands.size()];
                for (int i = 0; i < order.length; i++) order[i] = i;
                Arrays.sort(order, (x, y) -> score[y] - score[x]);
                List<LayerPath> top = new ArrayList<>();
                for (int i = 0; i < Math.min(8, order.length); i++) top.add(cands.get(order[i]));
                int[] checked = right(ex, workers, check, top);
                System.out.printf("depth %d: %d candidates, %.0f s; leaders (search / check right):%n", d, cands.size(), (System.nanoTime() - t0) / 1e9);
                for (int i = 0; i < top.size(); i++) {
                    System.out.printf("  len %2d  %4d / %4d  %s%n", top.get(i).length(), score[order[i]], checked[i], EditScan.describe(top.get(i)));
                }
                frontier = top.subList(0, Math.min(beam, top.size()));
            }
            ex.shutdown();
        }
    }

    /** How many of {@code qs} each path answers right (greedy, prefixes shared across paths). */
    static int[] right(ExecutorService ex, ThreadLocal<ModelWorker> workers, List<Question> qs, List<LayerPath> paths) throws Exception {
        boolean[][] r = new boolean[paths.size()][qs.size()];
        List<Future<?>> fs = new ArrayList<>();
        for (int qi = 0; qi < qs.size(); qi++) {
            int i = qi;
            fs.add(ex.submit(() -> {
                try (QuestionEvaluator ev = workers.get().open(qs.get(i))) {
                    for (int p = 0; p < paths.size(); p++) r[p][i] = ev.correct(paths.get(p));
                }
            }));
        }
        for (Future<?> f : fs) f.get();
        int[] out = new int[paths.size()];
        for (int p = 0; p < paths.size(); p++) for (boolean b : r[p]) if (b) out[p]++;
        return out;
    }
}
