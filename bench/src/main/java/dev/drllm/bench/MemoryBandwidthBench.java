package dev.drllm.bench;

import dev.drllm.cpu.CpuPool;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * The read-bandwidth probe behind the decode roofline: the same pool and thread count as the
 * backend sum a 2 GiB off-heap buffer (eight times the L3) with the widest vector loads, four
 * independent accumulators per thread. One op reads {@link #BYTES} bytes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx1g"})
public class MemoryBandwidthBench {
    public static final long BYTES = 2L << 30;
    static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    static final int CHUNK = 1 << 20;

    @Param({"1", "2"})
    public int threads;

    private Arena arena;
    private MemorySegment buf;
    private CpuPool pool;
    private int[] partial;

    @Setup(Level.Trial)
    public void setup() {
        arena = Arena.ofShared();
        buf = arena.allocate(BYTES, 4096);
        for (long i = 0; i < BYTES; i += 4096) buf.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) i); // touch every page
        pool = new CpuPool(threads > 0 ? threads : CpuPool.defaultThreads());
        partial = new int[(int) (BYTES / CHUNK)];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
        arena.close();
    }

    @Benchmark
    public int read() {
        int chunks = (int) (BYTES / CHUNK);
        pool.forRange(chunks, 1, Long.MAX_VALUE, (from, to, worker) -> {
            int step = I.vectorByteSize();
            for (int c = from; c < to; c++) {
                long base = (long) c * CHUNK;
                IntVector a = IntVector.zero(I), b = a, d = a, e = a;
                // int induction variable: C2 neither unrolls nor hoists bounds checks out of long-counted loops
                for (int o = 0; o < CHUNK; o += 4 * step) {
                    a = a.add(IntVector.fromMemorySegment(I, buf, base + o, ByteOrder.LITTLE_ENDIAN));
                    b = b.add(IntVector.fromMemorySegment(I, buf, base + o + step, ByteOrder.LITTLE_ENDIAN));
                    d = d.add(IntVector.fromMemorySegment(I, buf, base + o + 2L * step, ByteOrder.LITTLE_ENDIAN));
                    e = e.add(IntVector.fromMemorySegment(I, buf, base + o + 3L * step, ByteOrder.LITTLE_ENDIAN));
                }
                partial[c] = a.add(b).add(d).add(e).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
            }
        });
        return partial[0];
    }
}
