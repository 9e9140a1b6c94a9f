package dev.drllm.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.Console;
import java.io.PrintStream;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The stderr progress of a resumable per-question job ({@code mcts}, {@code edit-scan},
 * {@code eval}): it starts at the questions already done, and each finished question steps it and
 * shows the job's running summary. On a terminal it is an animated bar; when stderr is a file or
 * pipe (a log), the bar's carriage-return redraws would pile up there, so it prints a plain line
 * instead at each further tenth of the work or after {@value #PLAIN_INTERVAL_S} s, whichever comes
 * first, and one at the start and end. {@code --quiet} prints nothing.
 *
 * <p>A run stopped before it closes the progress (Ctrl-C or kill -TERM; kill -9 runs no hook) says on
 * its way out how far it got and that rerunning the same command resumes: Ctrl-C otherwise ends the
 * job silently, mid-line, and nothing tells the user that the work done so far is kept. An exception
 * closes the progress first, so a failing run prints only its error.
 */
final class JobProgress implements AutoCloseable {
    /** The longest a log goes without a line while work is being done (a slow model takes minutes per tenth). */
    static final long PLAIN_INTERVAL_S = 30;

    private final ProgressBar bar;
    private final Plain plain;
    private final String task;
    private final int total;
    private final java.util.concurrent.atomic.AtomicInteger done;
    private final PrintStream err;
    private final boolean redrawn;
    private Thread stopNote;

    JobProgress(String task, int total, int alreadyDone, String message, boolean quiet) {
        this(task, total, alreadyDone, message, quiet ? Mode.QUIET : stderrIsTerminal() ? Mode.BAR : Mode.PLAIN, System.err, System::nanoTime);
        if (!quiet) {
            stopNote = new Thread(() -> err.print(stopMessage()), "drllm-stop-note");
            Runtime.getRuntime().addShutdownHook(stopNote);
        }
    }

    enum Mode { QUIET, BAR, PLAIN }

    JobProgress(String task, int total, int alreadyDone, String message, Mode mode, PrintStream err, LongSupplier clock) {
        this.task = task;
        this.total = total;
        this.done = new java.util.concurrent.atomic.AtomicInteger(alreadyDone);
        this.err = err;
        this.redrawn = mode == Mode.BAR;
        bar = mode != Mode.BAR ? null : new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(err))
                .setUpdateIntervalMillis(1000)
                .showSpeed()
                .build();
        if (bar != null) {
            bar.stepTo(alreadyDone);
            bar.setExtraMessage(extra(message));
        }
        plain = mode == Mode.PLAIN ? new Plain(task, total, alreadyDone, message, err, clock) : null;
    }

    /** One more question finished; {@code message} is the summary so far. */
    void step(String message) {
        done.incrementAndGet();
        if (bar != null) {
            bar.step();
            bar.setExtraMessage(extra(message));
        }
        if (plain != null) plain.step(message);
    }

    /** The bar draws the extra message right after the speed ("3.0/s"); keep them apart. */
    private static String extra(String message) {
        return message == null || message.isEmpty() ? "" : " " + message;
    }

    /** What a run stopped before {@link #close} prints (on a new line after the bar's redrawn line). */
    String stopMessage() {
        return (redrawn ? System.lineSeparator() : "") + task + ": stopped at " + done.get() + "/" + total
                + "; the finished questions are kept: rerun the same command to resume" + System.lineSeparator();
    }

    @Override
    public void close() {
        if (stopNote != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(stopNote);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting: the note is being printed, as it should be
            }
            stopNote = null;
        }
        if (bar != null) bar.close();
        if (plain != null) plain.close();
    }

    /**
     * Whether stderr (fd 2) is a terminal. {@link System#console()} answers for stdin and stdout (and
     * since JDK 22 exists even when they are redirected), so {@code drllm eval ... 2> log} would still
     * count as interactive; libc's isatty(2) asks about stderr itself. Where it cannot be called, the
     * console's own answer is the fallback.
     */
    static boolean stderrIsTerminal() {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle isatty = linker.downcallHandle(linker.defaultLookup().find("isatty").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            return (int) isatty.invokeExact(2) == 1;
        } catch (Throwable e) {
            Console c = System.console();
            return c != null && c.isTerminal();
        }
    }

    /** The log-friendly form: whole lines, each with done/total, percent, elapsed, rate, time left and the summary. */
    static final class Plain {
        private final String task;
        private final int total, startDone;
        private final PrintStream err;
        private final LongSupplier clock;
        private final long t0;
        private int done, printedDone, printedTenth;
        private long printedAt;
        private String message;

        Plain(String task, int total, int alreadyDone, String message, PrintStream err, LongSupplier clock) {
            this.task = task;
            this.total = total;
            this.startDone = alreadyDone;
            this.done = alreadyDone;
            this.message = message;
            this.err = err;
            this.clock = clock;
            this.t0 = clock.getAsLong();
            print(t0);
        }

        synchronized void step(String message) {
            done++;
            this.message = message;
            long now = clock.getAsLong();
            if (tenth(done) > printedTenth || now - printedAt >= TimeUnit.SECONDS.toNanos(PLAIN_INTERVAL_S)) print(now);
        }

        synchronized void close() {
            if (done != printedDone) print(clock.getAsLong());
        }

        private int tenth(int n) {
            return total <= 0 ? 10 : (int) (10L * n / total);
        }

        private void print(long now) {
            err.println(line(task, done, total, startDone, now - t0, message));
            err.flush();
            printedDone = done;
            printedTenth = tenth(done);
            printedAt = now;
        }
    }

    /**
     * "eval arc routed 150/500 (30%) 1m12s, 2.08/s, ~2m48s left: accuracy 120/150". The rate and time
     * left count only this run's questions (those a resumed run found done took no time here).
     */
    static String line(String task, int done, int total, int startDone, long elapsedNanos, String message) {
        StringBuilder sb = new StringBuilder(task).append(' ').append(done).append('/').append(total);
        if (total > 0) sb.append(" (").append(100L * done / total).append("%)");
        double s = elapsedNanos / 1e9;
        sb.append(' ').append(duration(s));
        int here = done - startDone;
        if (here > 0 && s > 0) {
            double rate = here / s;
            sb.append(String.format(Locale.ROOT, ", %.2f/s", rate));
            if (done < total) sb.append(", ~").append(duration(Math.max(1, (total - done) / rate))).append(" left"); // never "~0s" while work is left
        }
        if (startDone > 0) sb.append(", resumed at ").append(startDone);
        if (message != null && !message.isEmpty()) sb.append(": ").append(message);
        return sb.toString();
    }

    /** 42s, 3m05s, 2h07m. */
    static String duration(double seconds) {
        long t = Math.round(seconds);
        if (t < 60) return t + "s";
        if (t < 3600) return String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60);
        return String.format(Locale.ROOT, "%dh%02dm", t / 3600, (t % 3600) / 60);
    }
}
