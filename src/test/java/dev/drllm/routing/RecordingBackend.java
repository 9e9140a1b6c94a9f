package dev.drllm.routing;

import dev.drllm.model.ModelConfig;
import dev.drllm.runtime.Backend;
import dev.drllm.runtime.Hidden;
import dev.drllm.runtime.KvCache;

import java.util.ArrayList;
import java.util.List;

/**
 * Delegates to a real backend and logs every call that changes state. Two runs with the same log
 * compute bit-identical results on any deterministic backend; the CPU backend itself is not
 * bit-reproducible run to run (its Vector API reductions change order when the JIT recompiles),
 * so "static routing equals the plain model bit for bit" is checked on the call sequence.
 */
final class RecordingBackend implements Backend {
    final Backend inner;
    final List<String> log = new ArrayList<>();

    RecordingBackend(Backend inner) { this.inner = inner; }

    @Override public String name() { return inner.name(); }
    @Override public ModelConfig config() { return inner.config(); }
    @Override public KvCache newCache(int slots, int capacity) { return inner.newCache(slots, capacity); }

    @Override
    public Hidden embed(int[] tokens) {
        log.add("embed " + java.util.Arrays.toString(tokens));
        return inner.embed(tokens);
    }

    @Override
    public void block(int layer, Hidden x, KvCache cache, int slot) {
        log.add("block " + layer + " slot " + slot + " at " + cache.length());
        inner.block(layer, x, cache, slot);
    }

    @Override
    public float[] logits(Hidden x, boolean lastOnly) {
        log.add("logits " + lastOnly);
        return inner.logits(x, lastOnly);
    }

    @Override public float[] finalNorm(Hidden x) { return inner.finalNorm(x); }
    @Override public float[] read(Hidden x) { return inner.read(x); }

    @Override
    public Hidden copy(Hidden x) {
        log.add("copy");
        return inner.copy(x);
    }

    @Override
    public void copySlot(KvCache src, int srcSlot, KvCache dst, int dstSlot, int positions) {
        log.add("copySlot " + srcSlot + " " + dstSlot + " " + positions);
        inner.copySlot(src, srcSlot, dst, dstSlot, positions);
    }

    @Override public Hidden upload(float[] data, int tokens) { return inner.upload(data, tokens); }
}
