package dev.drllm.cli;

import dev.drllm.mcts.Curation;
import dev.drllm.train.TrainConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.*;

/** The CLI's defaults are the paper's method (DESIGN.md §1): each assertion fails if its constant changes. */
class PaperDefaultsTest {
    private static final String[] REQUIRED = {"--model", "m", "--labels", "l.jsonl", "--data", "d.jsonl", "--out", "r.safetensors"};

    @Test
    void paperTrainConfig() {
        TrainConfig p = TrainConfig.paper();
        assertEquals(25, p.epochs());
        assertEquals(1e-3, p.lr(), 0.0);
        assertEquals(0.01, p.weightDecay(), 0.0);
        assertEquals(500, p.warmupSteps());
        assertEquals(16, p.batchSize());
        assertEquals(2.0, p.gamma(), 0.0);
        assertEquals(0.999, p.beta(), 0.0);
        assertEquals(128, p.routerHidden());
        assertFalse(p.selectBest(), "the last epoch is kept");
    }

    @Test
    void trainRoutersDefaultsAreThePapers() {
        TrainRoutersCommand c = new TrainRoutersCommand();
        new CommandLine(c).parseArgs(REQUIRED);
        assertEquals(TrainConfig.paper(), c.config(false));
        assertEquals(8, c.windows, "pooling windows");
        assertEquals("last", c.select);
        assertNull(c.calibrate, "no post-hoc offsets by default");
        assertNull(c.calibrateLast, "no post-hoc offsets by default");
    }

    @Test
    void trainRoutersOptionsStillOverride() {
        TrainRoutersCommand c = new TrainRoutersCommand();
        String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(REQUIRED),
                java.util.stream.Stream.of("--epochs", "3", "--lr", "0.01", "--warmup", "7", "--batch", "4", "--windows", "2")).toArray(String[]::new);
        new CommandLine(c).parseArgs(args);
        TrainConfig t = c.config(false);
        assertEquals(3, t.epochs());
        assertEquals(0.01, t.lr(), 0.0);
        assertEquals(7, t.warmupSteps());
        assertEquals(4, t.batchSize());
        assertEquals(2, c.windows);
    }

    @Test
    void mctsCuratesAsThePaperByDefault() {
        assertEquals(new Curation.Rule(1000, 0.30), MctsCommand.rule("arc", null, null, false));
        assertEquals(new Curation.Rule(3000, 0.30), MctsCommand.rule("dart", null, null, false));
        assertEquals(new Curation.Rule(200, 0.25), MctsCommand.rule("dart", 200, 0.25, false));
        assertTrue(MctsCommand.rule("arc", null, null, true).isLabelAll());
        assertThrows(UserException.class, () -> MctsCommand.rule("arc", 10, null, true));
        assertThrows(UserException.class, () -> MctsCommand.rule("arc", 0, null, false));
        assertThrows(UserException.class, () -> MctsCommand.rule("arc", null, 1.2, false));
        MctsCommand m = new MctsCommand();
        new CommandLine(m).parseArgs("--model", "m", "--task", "arc", "--data", "d.jsonl", "--out", "o.jsonl");
        assertEquals(50, m.simulations, "simulations per question");
        assertFalse(m.labelAll);
    }
}
