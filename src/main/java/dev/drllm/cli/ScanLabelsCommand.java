package dev.drllm.cli;

import dev.drllm.analysis.ConsensusLabels;
import dev.drllm.analysis.EditScan;
import dev.drllm.analysis.ScanFile;
import dev.drllm.util.AtomicFiles;
import dev.drllm.util.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code drllm scan-labels}: consensus router labels from an edit scan, in the label format train-routers reads. */
@Command(name = "scan-labels", mixinStandardHelpOptions = true,
        description = "Router labels from an edit scan: per question the shortest candidate path that answers it and that its k nearest"
                + " neighbours (by the scan's hidden-state features) answer at least as well as the full path; else the full path."
                + " Writes the JSONL label format of drllm mcts, for train-routers --labels.")
final class ScanLabelsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SCAN", description = "output of drllm edit-scan") Path scan;
    @Option(names = "--out", required = true, description = "label JSONL to write (replaced)") Path out;
    @Option(names = "--feature-layer", description = "scan feature to find neighbours by (default: the scan's middle one)") Integer featureLayer;
    @Option(names = "--k", defaultValue = "64", description = "neighbours per question (default ${DEFAULT-VALUE})") int k;
    @Option(names = "--min-agreement", defaultValue = "1.0",
            description = "least share of the neighbours a shorter path must answer correctly (default ${DEFAULT-VALUE}: all of them)")
    double minAgreement;
    @Option(names = "--hold-out-last", defaultValue = "0",
            description = "leave the last N questions out (neither labelled nor neighbours); match train-routers --calibrate-last (default ${DEFAULT-VALUE})")
    int holdOutLast;

    @Override
    public Integer call() throws IOException {
        Args.outputFile("--out", out);
        ScanFile.Scan s = ScanFile.read(scan, true);
        List<Integer> layers = s.header().featureLayers();
        if (layers.isEmpty()) throw new UserException(scan + ": the scan recorded no features; rerun edit-scan with --feature-layer");
        int layer = featureLayer != null ? featureLayer : layers.get(layers.size() / 2);
        List<ConsensusLabels.Label> labels;
        try {
            labels = ConsensusLabels.of(s, new ConsensusLabels.Settings(layer, k, minAgreement, holdOutLast));
        } catch (IllegalArgumentException e) {
            throw new UserException(scan + ": " + e.getMessage());
        }
        StringBuilder sb = new StringBuilder();
        for (ConsensusLabels.Label l : labels) sb.append(Json.MAPPER.writeValueAsString(l.toJson(s.header().numLayers(), s.header().candidates()))).append('\n');
        AtomicFiles.writeString(out, sb);
        System.out.print(summary(labels, layer));
        System.err.println("drllm scan-labels: " + labels.size() + " labels → " + out);
        return 0;
    }

    static String summary(List<ConsensusLabels.Label> labels, int layer) {
        int n = labels.size();
        double len = labels.stream().mapToInt(l -> l.path().length()).average().orElse(0);
        long wrongFull = labels.stream().filter(l -> !l.fullCorrect()).count();
        long fixes = labels.stream().filter(l -> !l.fullCorrect() && l.correct()).count();
        Map<String, Long> byLabel = labels.stream().collect(Collectors.groupingBy(l -> EditScan.describe(l.path()), Collectors.counting()));
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "%d labels (neighbours by the features entering layer %d): mean path %.2f; full path wrong on %d, of them %d labelled with a shared fix%n",
                n, layer, len, wrongFull, fixes));
        byLabel.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> sb.append(String.format(Locale.ROOT, "  %-14s %5d%n", e.getKey(), e.getValue())));
        TreeMap<Integer, double[]> levels = new TreeMap<>();
        for (ConsensusLabels.Label l : labels) {
            if (l.record().level() == 0) continue;
            double[] a = levels.computeIfAbsent(l.record().level(), x -> new double[2]);
            a[0] += l.path().length();
            a[1]++;
        }
        for (var e : levels.entrySet()) sb.append(String.format(Locale.ROOT, "  level %d: mean path %.2f over %d%n", e.getKey(), e.getValue()[0] / e.getValue()[1], (int) e.getValue()[1]));
        return sb.toString();
    }
}
