package dev.drllm.cuda;

import dev.drllm.model.ModelConfig;
import dev.drllm.routing.Router;
import dev.drllm.routing.Routers;
import dev.drllm.runtime.LayerPath;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Batched greedy decoding with the decode step captured once as a CUDA graph (per model, batch size
 * and context bucket = this object). Per sequence: prefill along a fixed path or routed by the
 * Dr.LLM routers (decisions written to device memory), then one graph launch per token; argmax stays
 * on the device and the host reads tokens back in chunks.
 *
 * Pass (layer l, repetition r) is one block run with its own KV slot 2l + r. Which passes run:
 * <ul>
 * <li>{@link Mode#SWITCH}: each layer is a SWITCH conditional node whose bodies are nothing / the
 *     block / the block twice; a kernel at the top of the step sets every switch from the path counts
 *     in device memory (the routers' decisions after a routed prefill). No host involvement at all.</li>
 * <li>{@link Mode#ENABLE}: a plain captured graph of all 2L passes; after prefill the host reads the
 *     counts once and disables the nodes of passes no sequence runs.</li>
 * </ul>
 * In a batch each pass first gathers the sequences whose path runs it (an index list computed on the
 * device), runs the block on that compact batch and scatters the rows back, so every sequence keeps
 * its own path (DESIGN.md section 2).
 */
public final class CudaDecoder implements AutoCloseable {
    public enum Mode { SWITCH, ENABLE }

    /**
     * ENABLE measured 3–5% faster than SWITCH on an H200 for the 1B and 3B shapes at batch 1 and 16
     * (README, drllm bench), so it is what callers get unless they ask.
     */
    public static final Mode DEFAULT_MODE = Mode.ENABLE;

    /** Tokens generated per sequence, and the decode time (graph launches + chunked reads). */
    public record Output(int[][] tokens, int[][] pathCounts, double prefillMs, double routingMs, double decodeMs, int steps) {}

    private final CudaBackend be;
    private final CudaContext cu;
    private final CudaKernels k;
    private final ModelConfig c;
    private final CudaWeights w;
    public final int batch, capacity, maxNew;
    public final Mode mode;
    private final int H, L, V, qd, kvd, qkvW, F, nh, nkv, hd;
    private final LaunchGeometry.Splits splits;
    private final List<Long> owned = new ArrayList<>();
    private final long x, xc, qkv, att, gu, logits, pm, pl, pacc, kAll, vAll, seqPos, tokens, history, counts,
            pathCounts, idx, ident, nActive, handles, decisions, routerLogits;
    private final long slotBytes;
    private MemorySegment graph, exec;
    private final List<List<MemorySegment>> passNodes = new ArrayList<>();
    private boolean[] enabled;
    private int chunk = 16;

    public CudaDecoder(CudaBackend backend, int batch, int capacity, int maxNew, Mode mode) {
        if (batch < 1 || batch > 64) throw new IllegalArgumentException("batch " + batch + " outside 1..64");
        if (maxNew < 1 || capacity < 2) throw new IllegalArgumentException("capacity " + capacity + ", max new " + maxNew);
        this.be = backend;
        this.cu = backend.context();
        this.k = backend.kernels();
        this.c = backend.config();
        this.w = backend.weights();
        this.batch = batch;
        this.capacity = capacity;
        this.maxNew = maxNew;
        this.mode = mode;
        H = c.hiddenSize(); L = c.numLayers(); V = c.vocabSize(); qd = c.qDim(); kvd = c.kvDim(); qkvW = qd + 2 * kvd;
        F = c.intermediateSize(); nh = c.numHeads(); nkv = c.numKvHeads(); hd = c.headDim();
        splits = LaunchGeometry.decodeSplits(capacity);
        int B = batch;
        x = own(4L * B * H); xc = own(4L * B * H); qkv = own(4L * B * qkvW); att = own(4L * B * qd); gu = own(8L * B * F);
        logits = own(4L * B * V);
        pm = own(4L * B * nh * splits.count()); pl = own(4L * B * nh * splits.count()); pacc = own(4L * B * nh * splits.count() * hd);
        KvLayout kv = new KvLayout(B, capacity, kvd);
        slotBytes = kv.slotBytes();
        kAll = own(slotBytes * 2 * L);
        vAll = own(slotBytes * 2 * L);
        seqPos = own(4L * B); tokens = own(4L * B); history = own(4L * B * maxNew); counts = own(4L * B);
        pathCounts = own(4L * B * L); idx = own(4L * B); nActive = own(4);
        int[] id = new int[B];
        for (int i = 0; i < B; i++) id[i] = i;
        ident = own(4L * B);
        cu.upload(ident, id);
        handles = own(8L * L);
        decisions = own(4L * L);
        routerLogits = own(12L * L);
        build();
    }

    private long own(long bytes) {
        long p = cu.alloc(bytes);
        owned.add(p);
        return p;
    }

    private long kSlot(int slot) { return kAll + slotBytes * slot; }

    private long vSlot(int slot) { return vAll + slotBytes * slot; }

    // ---- the captured step ------------------------------------------------------------------------

    private void pass(int l, int r) {
        CudaWeights.Layer Lw = w.layers.get(l);
        float eps = c.rmsNormEps();
        long rows = x, rowSeq = ident, nAct = 0;
        if (batch > 1) {
            k.passGather(pathCounts, l, r, batch, L, idx, nActive, x, xc, H);
            rows = xc;
            rowSeq = idx;
            nAct = nActive;
        }
        int slot = KvLayout.passSlot(l, r);
        long seqStride = (long) capacity * kvd;
        k.gemv(rows, H, CudaKernels.RMSNORM, Lw.inNorm(), eps, Lw.wqkv(), 0, qkv, qkvW, false, batch, H, qkvW, nAct);
        k.qkvPost(qkv, qkvW, Lw.bqkv(), Lw.qNorm(), Lw.kNorm(), eps, w.invFreq, rowSeq, seqPos, kSlot(slot), vSlot(slot), seqStride,
                batch, nh, nkv, hd, nAct);
        k.attnDecode(qkv, qkvW, kSlot(slot), vSlot(slot), seqStride, rowSeq, seqPos, batch, nh, nkv, hd, splits, pm, pl, pacc,
                att, 0, qd, nAct);
        k.gemv(att, qd, CudaKernels.PLAIN, 0, 0f, Lw.wo(), Lw.bo(), rows, H, true, batch, qd, H, nAct);
        k.gemv(rows, H, CudaKernels.RMSNORM, Lw.postNorm(), eps, Lw.wgu(), Lw.bgu(), gu, 2 * F, false, batch, H, 2 * F, nAct);
        k.gemv(gu, 2 * F, CudaKernels.SWIGLU, 0, 0f, Lw.wdown(), Lw.bdown(), rows, H, true, batch, F, H, nAct);
        if (batch > 1) k.passScatter(idx, nActive, xc, x, batch, H);
    }

    private void head() {
        k.gemv(x, H, CudaKernels.RMSNORM, w.finalNorm, c.rmsNormEps(), w.lmHead, 0, logits, V, false, batch, H, V, 0);
        k.argmaxStep(logits, batch, V, tokens, history, counts, maxNew, seqPos);
    }

    private void build() {
        if (mode == Mode.ENABLE) {
            int[] marks = new int[2 * L + 1];
            int[] base = new int[1];
            graph = CudaGraphs.captureWhole(cu, () -> {
                base[0] = cu.launches();
                k.embedGather(tokens, w.embed, x, batch, H, V);
                marks[0] = cu.launches() - base[0];
                for (int l = 0; l < L; l++)
                    for (int r = 0; r < 2; r++) {
                        pass(l, r);
                        marks[2 * l + r + 1] = cu.launches() - base[0];
                    }
                head();
            });
            List<MemorySegment> chain = CudaGraphs.chain(graph);
            for (int p = 0; p < 2 * L; p++) passNodes.add(chain.subList(marks[p], marks[p + 1]));
            exec = CudaGraphs.instantiate(graph);
            enabled = new boolean[2 * L];
            Arrays.fill(enabled, true);
        } else {
            graph = CudaGraphs.create();
            List<MemorySegment> leaf = CudaGraphs.captureInto(cu, graph, List.of(), () -> {
                k.embedGather(tokens, w.embed, x, batch, H, V);
                k.setSwitch(handles, pathCounts, batch, L);
            });
            long[] hs = new long[L];
            for (int l = 0; l < L; l++) {
                CudaGraphs.Switch sw = CudaGraphs.addSwitch(cu, graph, leaf, 3);
                hs[l] = sw.handle();
                final int layer = l;
                CudaGraphs.captureInto(cu, sw.bodies()[1], List.of(), () -> pass(layer, 0));
                CudaGraphs.captureInto(cu, sw.bodies()[2], List.of(), () -> {
                    pass(layer, 0);
                    pass(layer, 1);
                });
                leaf = List.of(sw.node());
            }
            CudaGraphs.captureInto(cu, graph, leaf, this::head);
            cu.upload(handles, hs);
            exec = CudaGraphs.instantiate(graph);
        }
    }

    /** ENABLE mode: nodes of passes that no sequence runs are switched off (path read once after prefill). */
    private void applyPaths(int[][] pc) {
        if (mode != Mode.ENABLE) return;
        for (int l = 0; l < L; l++)
            for (int r = 0; r < 2; r++) {
                boolean on = false;
                for (int[] row : pc) on |= row[l] > r;
                int p = 2 * l + r;
                if (on == enabled[p]) continue;
                for (MemorySegment n : passNodes.get(p)) CudaGraphs.setEnabled(exec, n, on);
                enabled[p] = on;
            }
    }

    // ---- prefill ------------------------------------------------------------------------------------

    /**
     * Prefills sequence b with its prompt along {@code path}, or routed by {@code routers} when path is
     * null: router kernels write each layer's decision into device memory. The prefill itself reads
     * each decision back to decide how often to run the block (one 4-byte copy per layer); decode
     * never does (SWITCH reads the counts on the device, ENABLE reads them once per request).
     * Returns the routing time in ms (router kernels + decision reads).
     */
    private double prefill(int b, int[] prompt, LayerPath path, Routers routers, CudaRouters dr) {
        int P = prompt.length;
        if (P + maxNew > capacity) throw new IllegalArgumentException("prompt " + P + " + " + maxNew + " new tokens exceed the context bucket " + capacity);
        cu.upload(seqPos + 4L * b, new int[]{0});
        cu.upload(counts + 4L * b, new int[]{0});
        long routingNs = 0;
        try (var h = be.embed(prompt)) {
            long xp = ((CudaBackend.CudaHidden) h).pointer();
            int[] pc = path == null ? new int[L] : path.counts();
            for (int l = 0; l < L; l++) {
                if (path == null) {
                    long t0 = System.nanoTime();
                    dr.decide(l, xp, P, decisions + 4L * l, routerLogits + 12L * l);
                    pc[l] = cu.downloadInts(decisions + 4L * l, 1)[0];
                    routingNs += System.nanoTime() - t0;
                }
                for (int r = 0; r < pc[l]; r++) {
                    int slot = KvLayout.passSlot(l, r);
                    long off = 2L * b * capacity * kvd;
                    be.runBlock(l, xp, P, kSlot(slot) + off, vSlot(slot) + off, capacity, seqPos + 4L * b);
                }
            }
            k.gemv(xp + 4L * (P - 1) * H, H, CudaKernels.RMSNORM, w.finalNorm, c.rmsNormEps(), w.lmHead, 0, logits + 4L * b * V, V,
                    false, 1, H, V, 0);
            k.argmaxStep(logits + 4L * b * V, 1, V, tokens + 4L * b, history + 4L * b * maxNew, counts + 4L * b, maxNew, 0);
            if (path == null) k.decisionsToCounts(decisions, pathCounts, b, L);
            else cu.upload(pathCounts + 4L * b * L, pc);
            cu.upload(seqPos + 4L * b, new int[]{P});
            cu.sync();
        }
        return routingNs / 1e6;
    }

    /**
     * Generates up to maxNew greedy tokens for each prompt (one per batch row). {@code paths[b]} null
     * means routed by {@code routers}. Generation of a row stops at a stop token (still computed, not
     * reported) or after maxNew tokens.
     */
    public Output generate(int[][] prompts, LayerPath[] paths, Routers routers, Set<Integer> stops) {
        if (prompts.length != batch || paths.length != batch) throw new IllegalArgumentException("need " + batch + " prompts and paths");
        CudaRouters dr = null;
        for (LayerPath p : paths) if (p == null && dr == null) dr = new CudaRouters(cu, k, routers, c);
        try {
            long t0 = System.nanoTime();
            double routing = 0;
            for (int b = 0; b < batch; b++) routing += prefill(b, prompts[b], paths[b], routers, dr);
            int[][] pc = new int[batch][];
            int[] all = cu.downloadInts(pathCounts, batch * L);
            for (int b = 0; b < batch; b++) pc[b] = Arrays.copyOfRange(all, b * L, (b + 1) * L);
            applyPaths(pc);
            double prefillMs = (System.nanoTime() - t0) / 1e6;
            long t1 = System.nanoTime();
            int steps = 0;
            boolean[] done = new boolean[batch];
            int[][] out = new int[batch][];
            while (true) {
                int[] hist = cu.downloadInts(history, batch * maxNew);
                boolean allDone = true;
                for (int b = 0; b < batch; b++) {
                    int n = Math.min(steps + 1, maxNew);
                    int end = n;
                    for (int i = 0; i < n; i++) {
                        if (stops.contains(hist[b * maxNew + i])) {
                            end = i + 1;
                            done[b] = true;
                            break;
                        }
                    }
                    if (n == maxNew) done[b] = true;
                    out[b] = Arrays.copyOfRange(hist, b * maxNew, b * maxNew + end);
                    allDone &= done[b];
                }
                if (allDone) break;
                int run = Math.min(chunk, maxNew - 1 - steps);
                for (int s = 0; s < run; s++) CudaGraphs.launch(cu, exec);
                steps += run;
            }
            cu.sync();
            double decodeMs = (System.nanoTime() - t1) / 1e6;
            return new Output(out, pc, prefillMs, routing, decodeMs, steps);
        } finally {
            if (dr != null) dr.close();
        }
    }

    /** Times {@code steps} graph launches (no readback): the pure decode step cost, for the benchmark. */
    public double timeSteps(int steps) {
        cu.sync();
        long t0 = System.nanoTime();
        for (int s = 0; s < steps; s++) CudaGraphs.launch(cu, exec);
        cu.sync();
        return (System.nanoTime() - t0) / 1e6 / steps;
    }

    /**
     * Times each kernel of pass (0, 0) and of the head, launched eagerly {@code reps} times (µs per
     * launch, launch overhead included). Overwrites activations and KV entries: for benchmarks only,
     * after the tokens that matter were read.
     */
    public java.util.Map<String, Double> profile(int reps) {
        CudaWeights.Layer Lw = w.layers.get(0);
        float eps = c.rmsNormEps();
        long rows = batch > 1 ? xc : x, rowSeq = batch > 1 ? idx : ident, nAct = batch > 1 ? nActive : 0;
        long seqStride = (long) capacity * kvd;
        java.util.Map<String, Runnable> ops = new java.util.LinkedHashMap<>();
        if (batch > 1) ops.put("gather+scatter", () -> {
            k.passGather(pathCounts, 0, 0, batch, L, idx, nActive, x, xc, H);
            k.passScatter(idx, nActive, xc, x, batch, H);
        });
        ops.put("qkv gemv (norm fused)", () -> k.gemv(rows, H, CudaKernels.RMSNORM, Lw.inNorm(), eps, Lw.wqkv(), 0, qkv, qkvW, false, batch, H, qkvW, nAct));
        ops.put("qkv_post (rope, kv store)", () -> k.qkvPost(qkv, qkvW, Lw.bqkv(), Lw.qNorm(), Lw.kNorm(), eps, w.invFreq, rowSeq, seqPos,
                kSlot(0), vSlot(0), seqStride, batch, nh, nkv, hd, nAct));
        ops.put("decode attention (split-K)", () -> k.attnDecode(qkv, qkvW, kSlot(0), vSlot(0), seqStride, rowSeq, seqPos, batch, nh, nkv, hd,
                splits, pm, pl, pacc, att, 0, qd, nAct));
        ops.put("o gemv (+residual)", () -> k.gemv(att, qd, CudaKernels.PLAIN, 0, 0f, Lw.wo(), Lw.bo(), rows, H, true, batch, qd, H, nAct));
        ops.put("gate|up gemv (norm fused)", () -> k.gemv(rows, H, CudaKernels.RMSNORM, Lw.postNorm(), eps, Lw.wgu(), Lw.bgu(), gu, 2 * F, false, batch, H, 2 * F, nAct));
        ops.put("down gemv (swiglu fused, +residual)", () -> k.gemv(gu, 2 * F, CudaKernels.SWIGLU, 0, 0f, Lw.wdown(), Lw.bdown(), rows, H, true, batch, F, H, nAct));
        ops.put("lm head gemv (final norm fused)", () -> k.gemv(x, H, CudaKernels.RMSNORM, w.finalNorm, eps, w.lmHead, 0, logits, V, false, batch, H, V, 0));
        ops.put("argmax", () -> k.argmaxStep(logits, batch, V, tokens, 0, 0, maxNew, 0));
        java.util.Map<String, Double> out = new java.util.LinkedHashMap<>();
        for (var e : ops.entrySet()) {
            e.getValue().run();
            cu.sync();
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) e.getValue().run();
            cu.sync();
            out.put(e.getKey(), (System.nanoTime() - t0) / 1e3 / reps);
        }
        return out;
    }

    /** Resets positions so timeSteps can run past maxNew without overrunning the cache (values then are junk). */
    public void rewind(int[] positions) {
        cu.upload(seqPos, positions);
        cu.upload(counts, new int[batch]);
    }

    public void chunk(int n) {
        if (n < 1) throw new IllegalArgumentException("chunk " + n);
        chunk = n;
    }

    @Override
    public void close() {
        cu.sync();
        CudaGraphs.destroy(graph, exec);
        for (long p : owned) cu.free(p);
        owned.clear();
    }
}
