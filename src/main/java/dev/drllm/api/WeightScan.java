package dev.drllm.api;

import dev.drllm.model.CheckpointException;
import dev.drllm.model.LayerWeights;
import dev.drllm.model.ModelWeights;
import dev.drllm.model.Tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Load-time scan for NaN / infinity in the weights ({@link LoadOptions.WeightCheck}). */
final class WeightScan {
    private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private WeightScan() {}

    static void check(ModelWeights w, LoadOptions.WeightCheck mode) {
        if (mode == LoadOptions.WeightCheck.NONE) return;
        List<Tensor> ts = new ArrayList<>();
        ts.add(w.finalNorm());
        for (LayerWeights l : w.layers()) {
            add(ts, l.inputNorm(), l.postAttentionNorm(), l.qNorm(), l.kNorm(),
                    l.bq(), l.bk(), l.bv(), l.bo(), l.bGate(), l.bUp(), l.bDown());
            if (mode == LoadOptions.WeightCheck.ALL) add(ts, l.wq(), l.wk(), l.wv(), l.wo(), l.wGate(), l.wUp(), l.wDown());
        }
        if (mode == LoadOptions.WeightCheck.ALL) {
            ts.add(w.embedTokens());
            if (w.lmHead() != w.embedTokens()) ts.add(w.lmHead());
        }
        for (Tensor t : ts) {
            long bad = firstNonFinite(t);
            if (bad >= 0) {
                throw new CheckpointException(t.file(), t.name(), "non-finite value " + t.getFloat(bad) + " at element " + bad);
            }
        }
    }

    private static void add(List<Tensor> out, Tensor... ts) {
        for (Tensor t : ts) if (t != null) out.add(t);
    }

    /**
     * The first element whose exponent bits are all ones (NaN or ±infinity), or -1. Bit tests on
     * the raw values avoid widening every element to float.
     */
    static long firstNonFinite(Tensor t) {
        MemorySegment d = t.data();
        long n = t.numel();
        switch (t.dtype()) {
            case BF16 -> {
                for (long i = 0; i < n; i++) if ((d.get(SHORT_LE, i * 2) & 0x7F80) == 0x7F80) return i;
            }
            case F16 -> {
                for (long i = 0; i < n; i++) if ((d.get(SHORT_LE, i * 2) & 0x7C00) == 0x7C00) return i;
            }
            case F32 -> {
                for (long i = 0; i < n; i++) if ((d.get(INT_LE, i * 4) & 0x7F800000) == 0x7F800000) return i;
            }
            default -> { }
        }
        return -1;
    }
}
