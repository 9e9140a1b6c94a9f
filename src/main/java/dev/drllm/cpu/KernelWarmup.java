package dev.drllm.cpu;

import dev.drllm.model.DType;
import dev.drllm.model.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Cold start of the CPU kernels: which of each kernel family's two bit-identical bodies runs.
 *
 * <p><b>Where the cold time went.</b> A fresh JVM ran the tiny model's first 34-token prefill in
 * 2–5 s against ~40 ms warm. {@code -XX:+PrintCompilation} showed the kernels interpreted, then
 * C1-compiled for seconds before C2 compiled them (C2 waits for thousands of calls, behind the
 * thousands of start-up methods queued for C1 and C2). The Vector API is intrinsified only by C2:
 * interpreted, one round of this class's small operands took 275–650 ms, C1-compiled ~1.1 ms,
 * C2-compiled 0.03 ms. Scalar loops have no such cliff: C1 compiles them within milliseconds.
 *
 * <p><b>What happens now.</b> Each kernel family (matrix–vector, blocked GEMM, outer-product
 * GEMM, norms, attention and dot products (the router MLP's too), element-wise) starts on its scalar twin
 * ({@link ScalarKernels}, same bits). A daemon thread, {@code drllm-kernel-warmup}, started when
 * the kernels are first used, runs (after {@link #START_DELAY_MS}, or at once when a caller needs
 * it) every family both ways on small operands (a few KB), which is
 * what drives C2 to compile the vector bodies (its thresholds count calls and loop iterations,
 * not work), and switches a family to its vector body once that beats the twin three times in a
 * row. The thread ends when every family has switched; it tries at full speed for {@link #BUDGET}
 * of its own CPU time (not wall time: on a loaded machine it gets a fraction of a core, and C2
 * needs as many calls there as anywhere), and always while a caller waits in {@link #awaitVector};
 * after that, once a second (a JVM without C2, e.g. {@code -XX:TieredStopAtLevel=1}, keeps the
 * twins, which are faster there). A call large enough that the scalar twin would take long
 * ({@link #large}) runs the vector bodies at once and starts the warm-up: a 1B model's prefill
 * should not run scalar loops, nor wait idle for the warm-up.
 *
 * <p>{@code -Ddrllm.kernels=auto|vector|scalar} (default auto) fixes the choice: {@code vector}
 * as before this existed, {@code scalar} for comparisons.
 */
public final class KernelWarmup {
    private KernelWarmup() {}

    /** CPU time of full-speed comparing before the thread falls back to once a second (unless a caller waits). */
    static final Duration BUDGET = Duration.ofSeconds(30);
    /** Multiply-adds from which a call always runs the vector bodies (≈ 25–50 ms as a C1-compiled scalar loop). */
    public static final long LARGE_WORK = 32L << 20;

    /** -Ddrllm.kernels. */
    public enum Mode {
        AUTO, VECTOR, SCALAR;

        static Mode fromProperty() {
            String p = System.getProperty("drllm.kernels", "auto").strip().toLowerCase(Locale.ROOT);
            return switch (p) {
                case "vector" -> VECTOR;
                case "scalar" -> SCALAR;
                default -> AUTO;
            };
        }
    }

    /** The kernel families, each with its own switch in {@link CpuKernels}. */
    enum Family { MATVEC, GEMM, GEMM_T, NORM, ATTENTION, ELEMENTWISE }

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final Condition CHANGED = LOCK.newCondition();
    private static volatile boolean running;
    /** Threads blocked in {@link #awaitVector}: while there are any, the warm-up never idles. Guarded by {@link #LOCK}. */
    private static int waiters;
    private static volatile long finishedNanos = -1;
    private static final long STARTED = System.nanoTime();
    /** -Ddrllm.kernels.verbose=true: one line on stderr per family switched (when, and the timings that decided). */
    private static final boolean VERBOSE = Boolean.getBoolean("drllm.kernels.verbose");

    static boolean vector(Family f) {
        return switch (f) {
            case MATVEC -> CpuKernels.vecMatvec;
            case GEMM -> CpuKernels.vecGemm;
            case GEMM_T -> CpuKernels.vecGemmT;
            case NORM -> CpuKernels.vecNorm;
            case ATTENTION -> CpuKernels.vecAttn;
            case ELEMENTWISE -> CpuKernels.vecElem;
        };
    }

    private static void enable(Family f) {
        switch (f) {
            case MATVEC -> CpuKernels.vecMatvec = true;
            case GEMM -> CpuKernels.vecGemm = true;
            case GEMM_T -> CpuKernels.vecGemmT = true;
            case NORM -> CpuKernels.vecNorm = true;
            case ATTENTION -> CpuKernels.vecAttn = true;
            case ELEMENTWISE -> CpuKernels.vecElem = true;
        }
        signal();
    }

    private static void signal() {
        LOCK.lock();
        try {
            CHANGED.signalAll();
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * Creates the warm-up thread once per JVM (called from {@link CpuKernels}' initialiser). It
     * starts comparing after {@link #START_DELAY}, or at once when a large call or
     * {@link #awaitVector} needs it: a short-lived process (one reply from a small model) then
     * finishes on the scalar twins without sharing its cores with the warm-up.
     */
    static synchronized void startBackground() {
        if (running) return;
        running = true;
        Thread t = new Thread(KernelWarmup::loop, "drllm-kernel-warmup");
        t.setDaemon(true);
        t.start();
    }

    /** How long the warm-up waits, unless asked to start, after the kernels are first used. */
    static final long START_DELAY_MS = 1000;
    private static final java.util.concurrent.CountDownLatch START_NOW = new java.util.concurrent.CountDownLatch(1);

    /** Ends the warm-up thread's initial delay. */
    static void startNow() {
        START_NOW.countDown();
    }

    /** Whether the background warm-up is still comparing (false once every family switched, or with a fixed mode). */
    public static boolean running() { return running; }

    /**
     * Blocks until every kernel family runs its vector body, or {@code timeout} passes; returns
     * whether they all do. Services call this (through {@code DrLlm.warmUp}) before taking traffic.
     */
    public static boolean awaitVector(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        startNow();
        LOCK.lock();
        try {
            waiters++;
            CHANGED.signalAll(); // wakes a warm-up idling between slow rounds
            while (!CpuKernels.vectorInUse() && running) {
                long left = deadline - System.nanoTime();
                if (left <= 0) break;
                CHANGED.awaitNanos(left);
            }
        } finally {
            waiters--;
            LOCK.unlock();
        }
        return CpuKernels.vectorInUse();
    }

    /**
     * Whether a call of about {@code work} multiply-adds is large ({@link #LARGE_WORK}): such a call
     * runs the vector bodies even before the warm-up switched them (as every call did before the
     * twins existed: a 1B model's prefill is better off driving the JIT towards C2 itself than
     * running scalar loops ~20× slower than compiled vector code), and starts the warm-up at once.
     */
    static boolean large(long work) {
        if (largeModel) return true;
        if (work < LARGE_WORK) return false;
        startNow();
        return true;
    }

    /** Parameters from which a model's matrix products and attention always run the vector bodies. */
    public static final long LARGE_MODEL = 64L << 20;
    private static volatile boolean largeModel;

    /**
     * Called when a CPU backend opens a model of {@code parameters} weights. From {@link #LARGE_MODEL}
     * on, every kernel runs its vector body from then on, for every model in the JVM, and the
     * warm-up thread is not started: a decode step of such a model is tens of milliseconds of real
     * work that gets the vector bodies compiled within a few tokens, its scalar twins would run ~10×
     * slower than compiled vector code, and a warm-up thread only competes for the cores (measured:
     * a cold 1B prefill took 24–28 s with it against 18–20 s without, on a loaded 2-core machine;
     * docs/results/warm-start.md).
     */
    static void modelOpened(long parameters) {
        if (parameters < LARGE_MODEL || CpuKernels.vectorInUse()) return;
        largeModel = true;
        CpuKernels.setAll(true);
        signal();
    }

    /** Milliseconds from class load to every family on its vector body; -1 while not (yet). */
    public static double msToVector() {
        long f = finishedNanos;
        return f < 0 ? -1 : (f - STARTED) / 1e6;
    }

    private static void loop() {
        try {
            START_NOW.await(START_DELAY_MS, TimeUnit.MILLISECONDS);
            if (CpuKernels.vectorInUse()) return; // a large model switched everything meanwhile
            Rig rig = new Rig();
            int[] wins = new int[Family.values().length];
            var cpu = java.lang.management.ManagementFactory.getThreadMXBean();
            long cpu0 = cpu.isCurrentThreadCpuTimeSupported() ? cpu.getCurrentThreadCpuTime() : -1, wall0 = System.nanoTime();
            while (!CpuKernels.vectorInUse()) {
                for (Family f : Family.values()) {
                    if (vector(f)) continue;
                    long tv = rig.time(f, true), ts = rig.time(f, false);
                    wins[f.ordinal()] = tv < ts ? wins[f.ordinal()] + 1 : 0;
                    if (wins[f.ordinal()] >= 3) {
                        enable(f);
                        if (VERBOSE) System.err.printf("drllm kernels: %s vector at %.0f ms (vector %.1f µs, scalar %.1f µs)%n",
                                f, (System.nanoTime() - STARTED) / 1e6, tv / 1e3, ts / 1e3);
                    }
                }
                long spent = cpu0 >= 0 ? cpu.getCurrentThreadCpuTime() - cpu0 : System.nanoTime() - wall0;
                if (spent > BUDGET.toNanos()) idleUnlessAwaited();
            }
            finishedNanos = System.nanoTime();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            // never leave callers waiting on a warm-up that died; the vector bodies are always correct
            CpuKernels.setAll(true);
            try {
                System.getLogger(KernelWarmup.class.getName()).log(System.Logger.Level.WARNING, "kernel warm-up failed; using the vector kernels", e);
            } catch (OutOfMemoryError logFailed) {
                // the heap is still exhausted (the warm-up died of it): the switch above is what matters
            }
        } finally {
            running = false;
            signal();
        }
    }

    /** Waits a second between rounds, or not at all while a caller waits in {@link #awaitVector}. */
    private static void idleUnlessAwaited() throws InterruptedException {
        LOCK.lock();
        try {
            if (waiters == 0) CHANGED.await(1, TimeUnit.SECONDS);
        } finally {
            LOCK.unlock();
        }
    }

    /** Small operands for every family: the shapes only need to take each code path. */
    static final class Rig {
        // two KT tiles (and two KC halves) of columns; 20 rows: whole register tiles (8 or 6 rows) and a rest
        static final int IN = 2 * CpuKernels.KT, OUT = 20, LONG = CpuKernels.GEMM_T_MIN, SHORT = 4;
        final Tensor[] weights;
        final float[] x, xp, y, wbuf, yT, norm, normOut, g, u, g0, u0, s0, s;
        final MemorySegment xT, xTp;
        final int tp = CpuKernels.paddedTokens(LONG);
        // attention: head size two vectors, a decode step over 2 score blocks
        final int hd = 2 * CpuKernels.LANES, keys = 2 * CpuKernels.SCORE_BLOCK;
        final float[] q, kT, kv, scores, out;

        Rig() {
            SplittableRandom rnd = new SplittableRandom(7);
            Arena arena = Arena.ofAuto();
            DType[] types = {DType.BF16, DType.F16, DType.F32};
            weights = new Tensor[types.length];
            for (int i = 0; i < types.length; i++) {
                DType d = types[i];
                MemorySegment seg = arena.allocate((long) OUT * IN * d.bytes(), 64);
                for (long e = 0; e < (long) OUT * IN; e++) {
                    float f = (float) (rnd.nextDouble() - 0.5) * 0.1f;
                    switch (d) {
                        case BF16 -> seg.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), e * 2, (short) (Float.floatToRawIntBits(f) >>> 16));
                        case F16 -> seg.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), e * 2, Float.floatToFloat16(f));
                        default -> seg.set(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), e * 4, f);
                    }
                }
                weights[i] = new Tensor(null, "warm-up " + d, d, new long[] {OUT, IN}, seg);
            }
            x = fill(rnd, LONG * IN);
            xp = new float[LONG * IN];
            for (int t = 0; t < LONG; t++) CpuKernels.splitPairs(x, t * IN, xp, t * IN, IN);
            y = new float[LONG * OUT];
            wbuf = new float[CpuKernels.WBUF];
            yT = new float[OUT * tp];
            xT = arena.allocate((long) IN * tp * Float.BYTES, CpuKernels.XT_ALIGN);
            xTp = arena.allocate((long) IN * tp * Float.BYTES, CpuKernels.XT_ALIGN);
            CpuKernels.transpose(x, LONG, IN, xT, tp, false, 0, IN);
            CpuKernels.transpose(x, LONG, IN, xTp, tp, true, 0, IN);
            norm = fill(rnd, IN);
            normOut = new float[IN];
            g0 = fill(rnd, IN);
            u0 = fill(rnd, IN);
            g = new float[IN];
            u = new float[IN];
            s0 = fill(rnd, keys);
            s = new float[keys];
            q = fill(rnd, hd);
            kT = fill(rnd, hd * keys);
            kv = fill(rnd, keys * hd);
            scores = new float[keys];
            out = new float[hd];
        }

        static float[] fill(SplittableRandom rnd, int n) {
            float[] a = new float[n];
            for (int i = 0; i < n; i++) a[i] = (float) (rnd.nextDouble() - 0.5);
            return a;
        }

        /** Nanoseconds for a few calls of family {@code f}'s vector body or scalar twin. */
        long time(Family f, boolean vector) {
            long t0 = System.nanoTime();
            for (int rep = 0; rep < 4; rep++) run(f, vector);
            return System.nanoTime() - t0;
        }

        void run(Family f, boolean v) {
            switch (f) {
                case MATVEC -> {
                    for (Tensor w : weights) {
                        float[] xs = CpuKernels.pairSplit(w.dtype()) ? xp : x;
                        if (v) CpuKernels.matvecVec(xs, 0, IN, w.data(), w.dtype(), y, 0, 0, OUT, wbuf);
                        else ScalarKernels.matvec(xs, 0, IN, w.data(), w.dtype(), y, 0, 0, OUT);
                    }
                }
                case GEMM -> {
                    for (Tensor w : weights) {
                        float[] xs = CpuKernels.pairSplit(w.dtype()) ? xp : x;
                        if (v) CpuKernels.gemm(xs, SHORT, IN, w.data(), w.dtype(), y, OUT, 0, OUT, wbuf);
                        else ScalarKernels.gemm(xs, SHORT, IN, w, y, OUT, 0, OUT);
                    }
                }
                case GEMM_T -> {
                    for (Tensor w : weights) {
                        MemorySegment t = CpuKernels.pairSplit(w.dtype()) ? xTp : xT;
                        if (v) CpuKernels.gemmTVec(t, tp, x, LONG, IN, w, y, OUT, 0, OUT, wbuf, yT, 0);
                        else ScalarKernels.gemmT(t, tp, x, LONG, IN, w, y, OUT, 0, OUT);
                    }
                }
                case NORM -> {
                    for (int t = 0; t < SHORT; t++) {
                        if (v) CpuKernels.rmsnormVec(x, t * IN, normOut, 0, norm, IN, 1e-5f);
                        else ScalarKernels.rmsnorm(x, t * IN, normOut, 0, norm, IN, 1e-5f);
                    }
                }
                case ATTENTION -> {
                    System.arraycopy(s0, 0, s, 0, keys);
                    if (v) {
                        CpuKernels.scoresTVec(q, 0, kT, 0, keys, hd, keys, scores, 0, 0.125f);
                        CpuKernels.softmaxVec(s, 0, keys);
                        CpuKernels.pvVec(s, 0, keys, kv, 0, hd, hd, out, 0);
                        for (int j = 0; j < SHORT; j++) scores[j] = CpuKernels.dotVec(q, 0, kv, j * hd, hd);
                        for (int j = 0; j < SHORT; j++) CpuKernels.axpyVec(s[j], kv, j * hd, out, 0, hd);
                    } else {
                        ScalarKernels.scoresT(q, 0, kT, 0, keys, hd, keys, scores, 0, 0.125f);
                        ScalarKernels.softmax(s, 0, keys);
                        ScalarKernels.pv(s, 0, keys, kv, 0, hd, hd, out, 0);
                        for (int j = 0; j < SHORT; j++) scores[j] = ScalarKernels.dot(q, 0, kv, j * hd, hd);
                        for (int j = 0; j < SHORT; j++) ScalarKernels.axpy(s[j], kv, j * hd, out, 0, hd);
                    }
                }
                case ELEMENTWISE -> {
                    // siluMul overwrites both operands: the same values every time (no drift into subnormals)
                    System.arraycopy(g0, 0, g, 0, IN);
                    System.arraycopy(u0, 0, u, 0, IN);
                    if (v) {
                        CpuKernels.siluMulVec(g, u, 0, IN);
                        CpuKernels.expVec(u, 0, IN);
                        CpuKernels.addVec(g, u0, IN);
                    } else {
                        ScalarKernels.siluMul(g, u, 0, IN);
                        ScalarKernels.exp(u, 0, IN);
                        ScalarKernels.add(g, u0, IN);
                    }
                }
            }
        }
    }
}
