package dev.drllm.cli;

import dev.drllm.analysis.ScanFile;
import dev.drllm.analysis.ScanReport;
import dev.drllm.util.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code drllm edit-scan-report}: candidate accuracies, the oracle and the cross-validated k-NN policy of an edit scan. */
@Command(name = "edit-scan-report", mixinStandardHelpOptions = true,
        description = "Report an edit scan: accuracy per candidate path (per level), fixes and breaks, the oracle, and what a k-NN"
                + " policy over the recorded features gains over the full path on held-out questions.")
final class EditScanReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SCAN", description = "output of drllm edit-scan") Path scan;
    @Option(names = "--json", description = "also write the report as JSON here") Path json;
    @Option(names = "--out", description = "also write the text report here") Path out;
    @Option(names = "--k", split = ",", defaultValue = "16,64", description = "neighbour counts (default ${DEFAULT-VALUE})") List<Integer> ks;
    @Option(names = "--splits", defaultValue = "20", description = "random train/held-out splits (default ${DEFAULT-VALUE})") int splits;
    @Option(names = "--test-fraction", defaultValue = "0.2", description = "held-out share per split (default ${DEFAULT-VALUE})") double testFraction;
    @Option(names = "--seed", defaultValue = "0", description = "split seed (default ${DEFAULT-VALUE})") long seed;
    @Option(names = "--min-agreement", defaultValue = "1.0",
            description = "the consensus policy's least share of neighbours right, as scan-labels (default ${DEFAULT-VALUE})") double minAgreement;

    @Override
    public Integer call() throws IOException {
        Args.outputFile("--out", out);
        Args.outputFile("--json", json);
        ScanReport.Settings s = new ScanReport.Settings(splits, testFraction, seed, ks.stream().mapToInt(Integer::intValue).toArray(), minAgreement);
        ScanReport r = ScanReport.of(ScanFile.read(scan, true), s);
        String text = r.text();
        System.out.print(text);
        if (out != null) write(out, text);
        if (json != null) write(json, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(r.toJson()) + "\n");
        return 0;
    }

    private static void write(Path f, String s) throws IOException {
        if (f.toAbsolutePath().getParent() != null) Files.createDirectories(f.toAbsolutePath().getParent());
        Files.writeString(f, s);
    }
}
