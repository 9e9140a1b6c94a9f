package dev.drllm.bench;

import dev.drllm.api.DrLlm;
import dev.drllm.api.GenerateRequest;
import dev.drllm.api.GenerateResult;
import dev.drllm.api.LoadOptions;
import dev.drllm.api.Sampling;
import dev.drllm.api.Session;
import dev.drllm.cpu.CpuBackend;
import dev.drllm.model.Model;
import dev.drllm.runtime.KvCache;
import dev.drllm.runtime.LayerPath;
import dev.drllm.runtime.PathExecutor;
import dev.drllm.runtime.Sampler;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The JFR-checked no-GC run, two loops after {@code DrLlm.warmUp()}: TOKENS decode steps of one
 * sequence (the generation loop itself), then one session generating TOKENS tokens
 * (default 10,000) in requests of a 32-token prompt and up to the context's worth of new tokens,
 * under a JFR recording of garbage collections; prints the collections seen during the loop, the
 * bytes the generating thread allocated (per token) and the recording's path.
 * Usage: GcCheck MODEL_DIR [TOKENS] [JFR_FILE]
 */
public final class GcCheck {
    /**
     * The decode loop alone: one sequence, TOKENS decode steps through the executor the API uses
     * (every layer, the LM head), its cache rewound from 288 to 32 positions as LatencyBench does.
     */
    static void decodeLoop(Path dir, int total, Path jfr, com.sun.management.ThreadMXBean mx) throws Exception {
        try (Model m = Model.load(dir); CpuBackend b = new CpuBackend(m)) {
            PathExecutor ex = new PathExecutor(b);
            LayerPath path = LayerPath.full(m.config().numLayers());
            int[] prompt = new Random(3).ints(32, 3, m.config().vocabSize()).toArray();
            try (KvCache cache = b.newCache(path.length(), 32 + 256)) {
                ex.forward(prompt, path, cache, true);
                int token = prompt[31];
                float[] logits = new float[m.config().vocabSize()];
                for (int i = 0; i < 2000; i++) token = step(ex, path, cache, token, logits); // warm
                System.gc();
                try (Recording rec = new Recording()) {
                    rec.enable("jdk.GarbageCollection");
                    rec.start();
                    long a0 = mx.getCurrentThreadAllocatedBytes(), all0 = mx.getTotalThreadAllocatedBytes();
                    for (int i = 0; i < total; i++) token = step(ex, path, cache, token, logits);
                    long allocated = mx.getCurrentThreadAllocatedBytes() - a0, all = mx.getTotalThreadAllocatedBytes() - all0;
                    rec.stop();
                    rec.dump(jfr);
                    long gcs = RecordingFile.readAllEvents(jfr).stream().filter(e -> e.getEventType().getName().equals("jdk.GarbageCollection")).count();
                    System.out.printf("decode loop: %d steps, allocated %.1f MB (%.0f bytes per token); all threads %.1f MB; garbage collections: %d (JFR recording %s)%n",
                            total, allocated / 1e6, (double) allocated / total, all / 1e6, gcs, jfr.toAbsolutePath());
                }
            }
        }
    }

    /** One decode step into the caller's logits row, as the API's generation loop runs it. */
    private static int step(PathExecutor ex, LayerPath path, KvCache cache, int token, float[] logits) {
        if (cache.length() >= 32 + 256) cache.truncate(32);
        ex.step(token, path, cache, logits, null);
        return Sampler.argmax(logits, 0, logits.length);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int total = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        Path jfr = Path.of(args.length > 2 ? args[2] : "gc-check.jfr");
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (DrLlm llm = DrLlm.load(dir, null, LoadOptions.defaults())) {
            System.out.println(llm.warmUp());
            int ctx = llm.info().maxContextTokens();
            int[] prompt = new Random(3).ints(32, 3, llm.info().vocabSize()).toArray();
            int perRequest = Math.min(ctx - prompt.length, llm.limits().maxNewTokens());
            GenerateRequest req = GenerateRequest.ofIds(prompt).withMaxNewTokens(perRequest).withSampling(Sampling.GREEDY).withStopTokens(Set.of());
            decodeLoop(dir, total, jfr.resolveSibling("decode-" + jfr.getFileName()), mx);
            try (Session s = llm.openSession()) {
                s.generate(req); // one more unrecorded pass
                System.gc();
                try (Recording rec = new Recording()) {
                    rec.enable("jdk.GarbageCollection");
                    rec.enable("jdk.GCHeapSummary");
                    rec.start();
                    long a0 = mx.getCurrentThreadAllocatedBytes(), all0 = mx.getTotalThreadAllocatedBytes(), t0 = System.nanoTime();
                    int done = 0, requests = 0;
                    while (done < total) {
                        GenerateResult r = s.generate(req.withMaxNewTokens(Math.min(perRequest, total - done)));
                        done += r.generatedTokenCount();
                        requests++;
                    }
                    long allocated = mx.getCurrentThreadAllocatedBytes() - a0, all = mx.getTotalThreadAllocatedBytes() - all0;
                    double secs = (System.nanoTime() - t0) / 1e9;
                    rec.stop();
                    rec.dump(jfr);
                    List<RecordedEvent> gcs = RecordingFile.readAllEvents(jfr).stream()
                            .filter(e -> e.getEventType().getName().equals("jdk.GarbageCollection")).toList();
                    System.out.printf("%d tokens in %d requests (%d new tokens each, 32-token prompt) in %.1f s; heap max %d MB%n", done, requests,
                            perRequest, secs, Runtime.getRuntime().maxMemory() >> 20);
                    System.out.printf("allocated by the generating thread: %.1f MB, %.0f bytes per token, %.1f KB per request; all threads %.1f MB;"
                            + " idle sequences kept %d KB%n", allocated / 1e6, (double) allocated / done, allocated / 1e3 / requests, all / 1e6,
                            llm.memoryIdle() >> 10);
                    for (RecordedEvent e : gcs) System.out.println("GC: " + e.getString("name") + " cause " + e.getString("cause") + " at " + e.getStartTime());
                    System.out.println("garbage collections during the loop: " + gcs.size() + " (JFR recording " + jfr.toAbsolutePath() + ")");
                }
            }
        }
    }
}
