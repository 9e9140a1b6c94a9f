package dev.drllm.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The stderr progress bar of a resumable per-question job ({@code mcts}, {@code edit-scan}): it
 * starts at the questions already done, and each finished question steps it and shows the job's
 * running summary. {@code --quiet} gives a bar that prints nothing.
 */
final class JobProgress implements AutoCloseable {
    private final ProgressBar bar;

    JobProgress(String task, int total, int alreadyDone, String message, boolean quiet) {
        bar = quiet ? null : new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .setUpdateIntervalMillis(1000)
                .showSpeed()
                .build();
        if (bar != null) {
            bar.stepTo(alreadyDone);
            bar.setExtraMessage(message);
        }
    }

    /** One more question finished; {@code message} is the summary so far. */
    void step(String message) {
        if (bar != null) {
            bar.step();
            bar.setExtraMessage(message);
        }
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
