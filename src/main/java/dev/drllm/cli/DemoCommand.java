package dev.drllm.cli;

import dev.drllm.eval.Datasets;
import dev.drllm.eval.EvalJob;
import dev.drllm.eval.EvalReport;
import dev.drllm.eval.Evaluator;
import dev.drllm.eval.Prompts;
import dev.drllm.eval.Question;
import dev.drllm.eval.Task;
import dev.drllm.model.Model;
import dev.drllm.routing.RoutedPrefill;
import dev.drllm.routing.Routers;
import dev.drllm.routing.DecisionRule;
import dev.drllm.runtime.Backend;
import dev.drllm.runtime.Backends;
import dev.drllm.runtime.Generator;
import dev.drllm.runtime.LayerPath;
import dev.drllm.runtime.Prefill;
import dev.drllm.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code drllm demo}: the embedded model with its trained routers answers a few ARC- and
 * DART-style test questions (answer, correctness, executed path, layers saved), then baseline,
 * routed and static-skip accuracy side by side on the first questions of each test split.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Show Dr.LLM routing on the embedded model.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "models/drllm-tiny", description = "checkpoint directory (default ${DEFAULT-VALUE})") Path model;
    @Option(names = "--routers", description = "routers.safetensors (default: <model>/routers.safetensors)") Path routersFile;
    @Option(names = "--data-dir", defaultValue = "data/tasks", description = "folder with arc-test.jsonl and dart-test.jsonl (default ${DEFAULT-VALUE})") Path dataDir;
    @Option(names = "--questions", defaultValue = "5", description = "questions shown per task (default ${DEFAULT-VALUE})") int shown;
    @Option(names = "--summary-limit", defaultValue = "50", description = "questions per task in the summary table (default ${DEFAULT-VALUE})") int summaryLimit;
    @Option(names = "--device", defaultValue = "cpu", description = "cpu or cuda (default ${DEFAULT-VALUE})") String device;

    @Override
    public Integer call() throws Exception {
        if (shown < 0 || summaryLimit < 1) throw new UserException("--questions must be >= 0 and --summary-limit >= 1");
        Path m0 = locate(model), data = locate(dataDir);
        Path rf = Routers.resolve(m0, routersFile);
        if (rf == null) {
            throw new UserException("no routers at " + m0.resolve(Routers.DEFAULT_FILE) + "; train them with drllm train-routers (see README) or pass --routers");
        }
        try (Model m = Model.load(m0); Backend b = Backends.open(m, device)) {
            Tokenizer tok = Tokenizer.load(m0);
            Routers routers = Routers.load(rf, m.config());
            int L = m.config().numLayers();
            System.out.printf(Locale.ROOT, "drllm demo: %s (%d layers, hidden %d) with routers %s%n%n", m0, L, m.config().hiddenSize(), rf);
            Evaluator ev = new Evaluator(new Generator(b), tok, m.stopTokens(), Prompts.Style.BASE);
            Prefill routed = new RoutedPrefill(routers, DecisionRule.argmax());
            Prefill full = Prefill.fixed(LayerPath.full(L));
            List<String> tables = new ArrayList<>();
            for (Task t : Task.values()) {
                Path file = data.resolve(t.id() + "-test.jsonl");
                List<Question> qs = Datasets.load(file, t);
                for (Question q : qs.subList(0, Math.min(shown, qs.size()))) {
                    Evaluator.Outcome r = ev.answer(q, routed), base = ev.answer(q, full);
                    System.out.printf(Locale.ROOT, "[%s] %s%n", t.id(), oneLine(q));
                    System.out.printf(Locale.ROOT, "  routed  : %-8s %s  path %s  (%s)%n", quote(r.reply()), mark(r.correct()),
                            pathText(r.path()), saved(L, r));
                    System.out.printf(Locale.ROOT, "  baseline: %-8s %s  gold %s%n%n", quote(base.reply()), mark(base.correct()), q.gold());
                }
                EvalReport rep = EvalJob.run(ev, new EvalJob.Settings(t, L, routers, rf.toString(), 0, 0, null, null),
                        qs.subList(0, Math.min(summaryLimit, qs.size())), m.dir().toString(), file.toString(), null, null);
                tables.add(rep.markdown());
            }
            System.out.println("Summary (first " + summaryLimit + " test questions per task; drllm eval runs whole files):\n");
            for (String table : tables) System.out.println(table);
        }
        return 0;
    }

    /** Relative defaults also work when the launcher is called from another folder. */
    private static Path locate(Path p) {
        if (p.isAbsolute() || Files.exists(p)) return p;
        try {
            Path jar = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path root = jar.getParent() == null ? null : jar.getParent().getParent();
            if (root != null && Files.exists(root.resolve(p))) return root.resolve(p);
        } catch (Exception ignored) {
            // fall through: report the path as given
        }
        return p;
    }

    private static String oneLine(Question q) {
        StringBuilder sb = new StringBuilder(q.text());
        for (int i = 0; i < q.choices().size(); i++) sb.append("  (").append((char) ('A' + i)).append(") ").append(q.choices().get(i));
        return sb.toString();
    }

    private static String quote(String reply) {
        return "\"" + reply.replace("\n", "\\n") + "\"";
    }

    private static String mark(boolean ok) {
        return ok ? "correct" : "WRONG  ";
    }

    /** "0-8,[9 skipped],10,11,11,…" is long; per-layer edits are what matter: skipped and repeated layers. */
    static String pathText(int[] path) {
        int L = 0;
        for (int l : path) L = Math.max(L, l + 1);
        return "[" + LayerPath.of(Math.max(L, 1), path) + "]";
    }

    private static String saved(int L, Evaluator.Outcome o) {
        List<String> skipped = new ArrayList<>(), repeated = new ArrayList<>();
        for (int l = 0; l < o.decisions().length; l++) {
            if (o.decisions()[l] == 0) skipped.add(Integer.toString(l));
            if (o.decisions()[l] == 2) repeated.add(Integer.toString(l));
        }
        int saved = L - o.path().length;
        return (skipped.isEmpty() ? "" : "skipped " + String.join(",", skipped) + "; ")
                + (repeated.isEmpty() ? "" : "repeated " + String.join(",", repeated) + "; ")
                + (saved >= 0 ? saved + " of " + L + " layers saved" : (-saved) + " extra layer runs");
    }
}
