package dev.drllm.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.Map;

/** The comparisons of {@link ShardedRunsTest}, for the deploy tests in another package. */
public final class ShardedRunsTestAccess {
    private ShardedRunsTestAccess() {}

    /** An MCTS output's records by question index, without the wall-clock field. */
    public static Map<Integer, String> mctsRecords(Path f) throws Exception {
        return ShardedRunsTest.mctsRecords(f);
    }

    /** The dart-test.json report in {@code outDir} without its wall-clock figures. */
    public static JsonNode report(Path outDir) throws Exception {
        return ShardedRunsTest.report(outDir);
    }
}
