package dev.drllm.cuda;

import dev.drllm.model.DType;
import dev.drllm.model.LayerWeights;
import dev.drllm.model.Model;
import dev.drllm.model.ModelConfig;
import dev.drllm.model.SafetensorsWriter;
import dev.drllm.model.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The model resident on the GPU: matrices in bf16 (q|k|v and gate|up fused row-wise so one GEMV
 * reads each block input once), norms, biases and the RoPE table in f32. bf16 checkpoints are
 * copied straight from the mapped file; f16 / f32 ones are rounded to bf16 on the way.
 */
public final class CudaWeights implements AutoCloseable {
    /** One block's device pointers (0 where the architecture has no such tensor). */
    public record Layer(long wqkv, long wo, long wgu, long wdown, long inNorm, long postNorm, long qNorm, long kNorm,
                        long bqkv, long bo, long bgu, long bdown) {}

    private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final CudaContext cu;
    private final List<Long> owned = new ArrayList<>();
    public final List<Layer> layers = new ArrayList<>();
    public final long embed, lmHead, finalNorm, invFreq;
    public final long bytes;
    private long total;

    public CudaWeights(CudaContext cu, Model model) {
        this.cu = cu;
        ModelConfig c = model.config();
        int H = c.hiddenSize(), qd = c.qDim(), kvd = c.kvDim(), F = c.intermediateSize();
        for (LayerWeights w : model.weights().layers()) {
            long qkv = matrix(List.of(w.wq(), w.wk(), w.wv()), (long) (qd + 2 * kvd) * H);
            long gu = matrix(List.of(w.wGate(), w.wUp()), 2L * F * H);
            layers.add(new Layer(qkv, matrix(List.of(w.wo()), (long) H * qd), gu, matrix(List.of(w.wDown()), (long) H * F),
                    floats(w.inputNorm()), floats(w.postAttentionNorm()), floats(w.qNorm()), floats(w.kNorm()),
                    fusedBias(w.bq(), w.bk(), w.bv(), qd, kvd, kvd), floats(w.bo()),
                    fusedBias(w.bGate(), w.bUp(), null, F, F, 0), floats(w.bDown())));
        }
        embed = matrix(List.of(model.weights().embedTokens()), (long) c.vocabSize() * H);
        lmHead = model.weights().lmHead() == model.weights().embedTokens() ? embed
                : matrix(List.of(model.weights().lmHead()), (long) c.vocabSize() * H);
        finalNorm = floats(model.weights().finalNorm());
        invFreq = own(cu.uploadNew(c.ropeInverseFrequencies()));
        bytes = total;
    }

    private long own(long p) {
        owned.add(p);
        return p;
    }

    /** Row-wise concatenation of matrices into one bf16 device matrix of {@code elements}. */
    private long matrix(List<Tensor> parts, long elements) {
        long p = own(cu.alloc(elements * 2));
        total += elements * 2;
        long off = 0;
        for (Tensor t : parts) {
            long n = t.numel();
            if (t.dtype() == DType.BF16) {
                cu.upload(p + off, t.data(), n * 2);
            } else {
                try (Arena a = Arena.ofConfined()) {
                    MemorySegment tmp = a.allocate(n * 2, 16);
                    for (long i = 0; i < n; i++) tmp.set(SHORT_LE, i * 2, SafetensorsWriter.toBf16(t.getFloat(i)));
                    cu.upload(p + off, tmp, n * 2);
                }
            }
            off += n * 2;
        }
        if (off != elements * 2) throw new IllegalStateException("fused matrix size " + off + " != " + elements * 2);
        return p;
    }

    private long floats(Tensor t) {
        if (t == null) return 0;
        float[] f = t.toFloatArray();
        total += 4L * f.length;
        return own(cu.uploadNew(f));
    }

    private long fusedBias(Tensor a, Tensor b, Tensor c, int na, int nb, int nc) {
        if (a == null && b == null && c == null) return 0;
        float[] f = new float[na + nb + nc];
        if (a != null) System.arraycopy(a.toFloatArray(), 0, f, 0, na);
        if (b != null) System.arraycopy(b.toFloatArray(), 0, f, na, nb);
        if (c != null) System.arraycopy(c.toFloatArray(), 0, f, na + nb, nc);
        total += 4L * f.length;
        return own(cu.uploadNew(f));
    }

    @Override
    public void close() {
        for (long p : owned) cu.free(p);
        owned.clear();
    }
}
