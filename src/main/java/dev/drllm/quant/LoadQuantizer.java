package dev.drllm.quant;

import dev.drllm.model.DType;
import dev.drllm.model.LayerWeights;
import dev.drllm.model.Model;
import dev.drllm.model.ModelWeights;
import dev.drllm.model.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Quantizes a loaded model's matrices at load time ({@code --quantize q8_0}): every matrix whose
 * rows fit the block size is encoded into off-heap memory, row blocks in parallel; norms and
 * biases stay as they are. The original mapping is closed with the returned model.
 */
public final class LoadQuantizer {
    private LoadQuantizer() {}

    /** The block type a {@code --quantize} value names (q8_0, q4_0, q5_0, q4_k, q6_k). */
    public static DType parse(String s) {
        String u = s.strip().toUpperCase(Locale.ROOT);
        for (DType t : DType.values()) {
            if (t.name().equals(u) && t.isQuantized() && BlockCodec.of(t).canQuantize()) return t;
        }
        throw new IllegalArgumentException("--quantize '" + s + "': expected q8_0, q4_0, q5_0, q4_k or q6_k");
    }

    public static Model quantize(Model m, DType type) {
        if (!type.isQuantized() || !BlockCodec.of(type).canQuantize()) throw new IllegalArgumentException("cannot quantize to " + type);
        Arena arena = Arena.ofShared();
        try {
            ModelWeights w = m.weights();
            Tensor embed = q(w.embedTokens(), type, arena);
            List<LayerWeights> layers = new ArrayList<>();
            for (LayerWeights l : w.layers()) {
                layers.add(new LayerWeights(l.index(), l.inputNorm(), q(l.wq(), type, arena), q(l.wk(), type, arena), q(l.wv(), type, arena),
                        q(l.wo(), type, arena), l.bq(), l.bk(), l.bv(), l.bo(), l.qNorm(), l.kNorm(), l.postAttentionNorm(),
                        q(l.wGate(), type, arena), q(l.wUp(), type, arena), q(l.wDown(), type, arena), l.bGate(), l.bUp(), l.bDown()));
            }
            Tensor head = w.lmHead() == w.embedTokens() ? embed : q(w.lmHead(), type, arena);
            ModelWeights qw = new ModelWeights(embed, List.copyOf(layers), w.finalNorm(), head);
            return Model.of(m.dir(), m.config(), () -> {
                arena.close();
                m.close();
            }, qw, m.stopTokens());
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    private static Tensor q(Tensor t, DType type, Arena arena) {
        if (t.dtype() == type || t.rank() != 2 || t.shape()[1] % type.blockSize() != 0) return t;
        int rows = t.dim(0), cols = t.dim(1);
        long rowBytes = type.bytesOf(cols);
        MemorySegment seg = arena.allocate(rowBytes * rows, 64);
        BlockCodec c = BlockCodec.of(type);
        int chunk = 64;
        IntStream.range(0, (rows + chunk - 1) / chunk).parallel().forEach(ch -> {
            float[] row = new float[cols];
            for (int r = ch * chunk; r < Math.min(rows, (ch + 1) * chunk); r++) {
                t.readRow(r, row, 0);
                c.quantize(row, 0, cols / type.blockSize(), seg, r * rowBytes);
            }
        });
        return new Tensor(t.file(), t.name(), type, t.shape(), seg);
    }
}
