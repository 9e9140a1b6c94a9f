package dev.drllm.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.analysis.EditScan;
import dev.drllm.analysis.ScanFile;
import dev.drllm.analysis.ScanHeader;
import dev.drllm.analysis.ScanRecord;
import dev.drllm.cpu.CpuBackend;
import dev.drllm.eval.EvalProgress;
import dev.drllm.eval.Question;
import dev.drllm.eval.Task;
import dev.drllm.mcts.TokenizerCodec;
import dev.drllm.model.Model;
import dev.drllm.tokenizer.Tokenizer;
import dev.drllm.util.Shard;
import dev.drllm.util.ShardManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code drllm edit-scan}: every question answered along the full path and each of its one-edit neighbours, resumable. */
@Command(name = "edit-scan", mixinStandardHelpOptions = true,
        description = "Answer every question along the full path and every path one MCTS edit away (skip 1 or 2 consecutive layers,"
                + " repeat one layer); record which are right, and the prompt's mean hidden state entering the --feature-layer layers.")
final class EditScanCommand implements Callable<Integer> {
    @Mixin TaskDataOptions io;
    @Option(names = "--out", required = true, description = "JSONL output; an existing file of the same settings is resumed") Path out;
    @Option(names = "--threads", description = "parallel questions, one single-threaded CPU backend each (default: all cores)") Integer threads;
    @Option(names = "--feature-layer", description = "record the mean hidden state entering this layer (full path); repeatable") List<Integer> featureLayers;
    @Option(names = "--prompt-style", defaultValue = "auto", description = "auto, base or instruct (default ${DEFAULT-VALUE})") String promptStyle;
    @Option(names = "--shard", description = "i/n: this run takes the questions whose index is i mod n (merge the shards with edit-scan-merge)") String shard;
    @Option(names = "--quiet", description = "no progress bar") boolean quiet;

    @Override
    public Integer call() {
        Args.outputFile("--out", out);
        Task t = io.parsedTask();
        Path model = io.model;
        int nThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (nThreads < 1) throw new UserException("--threads must be >= 1, got " + nThreads);
        List<Question> all = io.questions();
        Shard slice = shard == null ? null : Shard.parse(shard);
        List<Question> questions = slice == null ? all : slice.select(all, Question::index);
        try (Model m = Model.load(model)) {
            int L = m.config().numLayers();
            List<Integer> layers = new ArrayList<>(new LinkedHashSet<>(featureLayers == null ? List.of() : featureLayers));
            for (int l : layers) if (l < 0 || l >= L) throw new UserException("--feature-layer must be a layer 0.." + (L - 1) + " of this model, got " + l);
            Tokenizer tok = Tokenizer.load(model);
            TokenizerCodec codec = new TokenizerCodec(tok, TokenizerCodec.style(model, promptStyle));
            Set<Integer> stops = new HashSet<>(m.stopTokens());
            stops.addAll(tok.stopTokenIds());
            ScanHeader h = new ScanHeader(t.id(), model.toString(), dev.drllm.model.ModelFingerprint.of(model), L, m.config().hiddenSize(),
                    codec.style().name().toLowerCase(Locale.ROOT), layers, EditScan.candidates(L));
            if (slice == null) ShardManifest.refuseUnsharded(out, "edit-scan");
            else new ShardManifest("edit-scan", slice, all.size(), runSettings(h, io.data)).claim(out);
            List<ScanRecord> existing = new ArrayList<>();
            try (ScanFile o = ScanFile.openForAppend(out, h, existing)) {
                List<Question> todo = EditScan.pending(questions, existing, out);
                Progress progress = new Progress(existing);
                try (JobProgress bar = new JobProgress("edit-scan " + t.id(), questions.size(), questions.size() - todo.size(), progress.message(), quiet)) {
                    EditScan.run(todo, nThreads, () -> EditScan.modelScanner(h, new CpuBackend(m, 1), codec, stops), o, r -> bar.step(progress.add(r)));
                }
                System.err.println("drllm edit-scan: " + progress.message() + " → " + out);
            }
        }
        return 0;
    }

    /** The manifest's run settings: the scan header without the model's path (shards may mount it elsewhere), and the data's content. */
    static ObjectNode runSettings(ScanHeader h, Path data) {
        ObjectNode o = h.toJson();
        o.remove("model");
        o.put("data_sha256", EvalProgress.sha256(data));
        return o;
    }

    /** Running counts for the progress bar: full-path and oracle accuracy so far. */
    static final class Progress {
        private int done, full, oracle, errors;

        Progress(List<ScanRecord> existing) {
            for (ScanRecord r : existing) add(r);
        }

        synchronized String message() {
            int n = done - errors;
            return String.format(Locale.ROOT, "full %d/%d, oracle %d/%d%s", full, n, oracle, n, errors > 0 ? ", not evaluated " + errors : "");
        }

        synchronized String add(ScanRecord r) {
            done++;
            if (!r.ok()) {
                errors++;
            } else {
                if (r.correct(0)) full++;
                if (r.correct().indexOf('1') >= 0) oracle++;
            }
            return message();
        }
    }
}
