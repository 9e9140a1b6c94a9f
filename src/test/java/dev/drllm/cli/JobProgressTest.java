package dev.drllm.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Progress into a log (stderr not a terminal): whole lines at each tenth or every 30 s, never carriage-return redraws. */
class JobProgressTest {
    static final class Clock {
        long nanos = 1_000_000_000L;

        void advance(double seconds) { nanos += (long) (seconds * 1e9); }
    }

    static List<String> lines(ByteArrayOutputStream buf) {
        String s = buf.toString(StandardCharsets.UTF_8);
        assertFalse(s.contains("\r"), "no carriage returns in a log: " + s);
        return s.lines().toList();
    }

    @Test
    void plainLinesAtEachTenthAndEveryThirtySeconds() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Clock clock = new Clock();
        try (JobProgress p = new JobProgress("eval arc routed", 100, 0, "accuracy 0/0", JobProgress.Mode.PLAIN,
                new PrintStream(buf, true, StandardCharsets.UTF_8), () -> clock.nanos)) {
            for (int i = 1; i <= 10; i++) {
                clock.advance(1);
                p.step("accuracy " + i + "/" + i);
            }
            assertEquals(List.of("eval arc routed 0/100 (0%) 0s: accuracy 0/0",
                    "eval arc routed 10/100 (10%) 10s, 1.00/s, ~1m30s left: accuracy 10/10"), lines(buf));
            // a slow question: 30 s without a line is too long for a log, whatever the fraction done
            clock.advance(29);
            p.step("a");
            assertEquals(2, lines(buf).size());
            clock.advance(1.5);
            p.step("b");
            assertEquals("eval arc routed 12/100 (12%) 41s, 0.30/s, ~4m57s left: b", lines(buf).getLast());
            for (int i = 13; i <= 99; i++) {
                clock.advance(0.1);
                p.step("c");
            }
            assertEquals(11, lines(buf).size(), "start, each tenth 10..90, the 30 s line: " + lines(buf));
            assertTrue(lines(buf).getLast().startsWith("eval arc routed 90/100 (90%) "));
        }
        // the end: the last question and no time left
        assertEquals("eval arc routed 99/100 (99%) 49s, 2.01/s, ~1s left: c", lines(buf).getLast());
    }

    @Test
    void resumedRunCountsItsOwnRateAndSaysWhereItResumed() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Clock clock = new Clock();
        try (JobProgress p = new JobProgress("mcts dart", 40, 30, null, JobProgress.Mode.PLAIN,
                new PrintStream(buf, true, StandardCharsets.UTF_8), () -> clock.nanos)) {
            for (int i = 0; i < 10; i++) {
                clock.advance(2);
                p.step(null);
            }
        }
        assertEquals(List.of("mcts dart 30/40 (75%) 0s, resumed at 30", "mcts dart 32/40 (80%) 4s, 0.50/s, ~16s left, resumed at 30",
                "mcts dart 36/40 (90%) 12s, 0.50/s, ~8s left, resumed at 30", "mcts dart 40/40 (100%) 20s, 0.50/s, resumed at 30"), lines(buf));
    }

    @Test
    void stopMessageSaysHowFarAndHowToResume() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (JobProgress p = new JobProgress("eval dart routed", 500, 120, null, JobProgress.Mode.PLAIN,
                new PrintStream(buf, true, StandardCharsets.UTF_8), System::nanoTime)) {
            p.step(null);
            p.step(null);
            assertEquals("eval dart routed: stopped at 122/500; the finished questions are kept: rerun the same command to resume"
                    + System.lineSeparator(), p.stopMessage());
        }
    }

    @Test
    void quietPrintsNothingAndDurationsRead() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (JobProgress p = new JobProgress("x", 3, 0, "m", JobProgress.Mode.QUIET, new PrintStream(buf), System::nanoTime)) {
            p.step("m");
        }
        assertEquals(0, buf.size());
        assertEquals("0s", JobProgress.duration(0.4));
        assertEquals("59s", JobProgress.duration(59.4));
        assertEquals("1m00s", JobProgress.duration(59.6));
        assertEquals("2h07m", JobProgress.duration(TimeUnit.MINUTES.toSeconds(127) + 30));
        // the test JVM's stderr is a pipe to the build tool, not a terminal
        assertFalse(JobProgress.stderrIsTerminal());
    }
}
