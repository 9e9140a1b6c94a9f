package dev.drllm.bench;

import dev.drllm.cpu.CpuPool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * The f32 FMA probe behind the compute ceiling: the same pool and thread count as the backend run
 * {@link #UNITS} units of {@link #STEPS} steps, each step twelve independent FMAs on the widest
 * vectors (twelve chains, enough to keep two FMA pipes busy at a latency of four or five cycles,
 * and with the two operands fourteen registers: AVX2 has sixteen). One op is
 * {@link #flops()} floating-point operations.
 *
 * <p>Why it is in the quant run: the CPU kernels of a decode step (the quantized dots) and of a
 * prefill (the f32 register tiles) are bound by vector throughput on AVX2 machines, and on the
 * 2-vCPU cloud VMs the two vCPUs sometimes share one physical core's vector units (the host's
 * scheduling, changing within minutes; docs/results/quantized.md). Then two threads run no faster
 * than one: the 2-thread row here against twice the 1-thread row says which case a run was in.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx256m"})
public class ComputeBench {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Units of work per op, shared out by the pool (many more than threads, so neither idles long). */
    public static final int UNITS = 64;
    /** Steps of twelve FMAs per unit. */
    public static final int STEPS = 100_000;

    @Param({"1", "2"})
    public int threads;

    private CpuPool pool;
    private float[] sink;

    /** Floating-point operations per op: units × steps × 12 FMAs × lanes × 2. */
    public static double flops() {
        return (double) UNITS * STEPS * 12 * F.length() * 2;
    }

    @Setup(Level.Trial)
    public void setup() {
        pool = new CpuPool(threads);
        sink = new float[UNITS];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public float fma() {
        pool.forRange(UNITS, 1, Long.MAX_VALUE, (from, to, worker) -> {
            for (int u = from; u < to; u++) sink[u] = chains(u);
        });
        return sink[UNITS - 1];
    }

    /** Twelve independent FMA chains of {@link #STEPS} steps; their sum, so none is dead code. */
    static float chains(int seed) {
        FloatVector x = FloatVector.broadcast(F, 0.999f), w = FloatVector.broadcast(F, 1e-6f * (seed + 1));
        // a = x · w + a: the accumulator is the addend, as in the kernels (vfmadd231ps in place, no copies)
        FloatVector a0 = FloatVector.broadcast(F, 0.001f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        FloatVector a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (int s = 0; s < STEPS; s++) {
            a0 = x.fma(w, a0); a1 = x.fma(w, a1); a2 = x.fma(w, a2); a3 = x.fma(w, a3);
            a4 = x.fma(w, a4); a5 = x.fma(w, a5); a6 = x.fma(w, a6); a7 = x.fma(w, a7);
            a8 = x.fma(w, a8); a9 = x.fma(w, a9); a10 = x.fma(w, a10); a11 = x.fma(w, a11);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
