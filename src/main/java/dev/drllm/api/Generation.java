package dev.drllm.api;

import dev.drllm.runtime.ContextLengthException;
import dev.drllm.runtime.KvCache;
import dev.drllm.runtime.LayerPath;
import dev.drllm.runtime.PathExecutor;
import dev.drllm.runtime.Sampler;

import java.util.Arrays;
import java.util.Set;

/**
 * One request, run one token per {@link #next()} call: the first call runs the prefill, every
 * later call one decode step. Pulling tokens this way gives the blocking call, the callback and
 * the iterator the same engine, with cancellation checked between execution slots and nothing
 * computed ahead of the consumer. Not thread-safe except {@link #cancel()}.
 */
final class Generation implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Generation.class);

    /** Thrown from inside a forward pass to abandon it; never escapes this class. */
    private static final class Cancelled extends RuntimeException {
        Cancelled() { super(null, null, false, false); }
    }

    private final DrLlm engine;
    private final int[] prompt;
    private final int maxNew;
    private final Set<Integer> stops;
    private final LayerPath path;
    private final Sampler sampler;
    private final long kvBytes;
    private final long startNs;
    private final TextDecoder text;

    private KvCache cache;
    private boolean reserved;
    private float[] logits;
    private final int[] out;
    private int n;
    private int steps;
    private long prefillNs, decodeNs;
    private GenerateResult.StopReason reason;
    private long endNs;
    private volatile boolean cancelled;

    Generation(DrLlm engine, int[] prompt, int maxNew, Set<Integer> stops, LayerPath path, Sampling sampling, long startNs) {
        this.engine = engine;
        this.prompt = prompt;
        this.maxNew = maxNew;
        this.stops = stops;
        this.path = path;
        this.sampler = new Sampler(sampling.temperature(), sampling.topP(), sampling.seed());
        this.startNs = startNs;
        this.out = new int[maxNew];
        this.text = engine.codec() == null ? null : new TextDecoder(engine.codec());
        int capacity = prompt.length + Math.max(maxNew, 1);
        this.kvBytes = KvBudget.bytes(Math.max(1, path.length()), capacity, engine.config().kvDim());
        engine.budget().reserve(kvBytes, "a prompt of " + prompt.length + " tokens + " + maxNew + " new tokens over "
                + path.length() + " execution slots");
        reserved = true;
    }

    void cancel() { cancelled = true; }

    boolean finished() { return reason != null; }

    /** The next token, or null once the generation has ended (see {@link #result()}). */
    Token next() {
        if (reason != null) return null;
        if (cancelled) return finish(GenerateResult.StopReason.CANCELLED);
        if (!engine.enter()) return finish(GenerateResult.StopReason.CANCELLED);
        try {
            PathExecutor ex = engine.executor();
            if (cache == null) {
                long t0 = System.nanoTime();
                cache = engine.backend().newCache(Math.max(1, path.length()), prompt.length + Math.max(maxNew, 1));
                logits = ex.forward(prompt, path, cache, true, this::checkCancelled);
                prefillNs = System.nanoTime() - t0;
                if (maxNew == 0) return finish(GenerateResult.StopReason.MAX_TOKENS);
            } else {
                long t0 = System.nanoTime();
                logits = ex.forward(new int[]{out[n - 1]}, path, cache, true, this::checkCancelled);
                decodeNs += System.nanoTime() - t0;
                steps++;
            }
            checkFinite(logits);
            int id = sampler.sample(logits, 0, engine.config().vocabSize());
            out[n++] = id;
            Token tok = new Token(id, n - 1, text == null ? null : text.append(id));
            if (stops.contains(id)) finish(GenerateResult.StopReason.STOP_TOKEN);
            else if (n == maxNew) finish(GenerateResult.StopReason.MAX_TOKENS);
            return tok;
        } catch (Cancelled c) {
            return finish(GenerateResult.StopReason.CANCELLED);
        } catch (ContextLengthException e) {
            // the limits are checked before the request starts, so reaching this is a bug; keep it typed
            release();
            throw new LimitExceededException(LimitExceededException.Limit.CONTEXT, prompt.length + maxNew, cache == null ? 0 : cache.capacity(),
                    e.getMessage());
        } catch (RuntimeException | Error e) {
            release();
            throw e;
        } finally {
            engine.exit();
        }
    }

    private void checkCancelled(int slot, int layer, dev.drllm.runtime.Hidden x) {
        if (cancelled || engine.isClosing()) throw new Cancelled();
    }

    private void checkFinite(float[] row) {
        for (int i = 0; i < row.length; i++) {
            if (!Float.isFinite(row[i])) {
                int pos = prompt.length + n - 1;
                throw new NumericalException("non-finite logit " + row[i] + " at vocabulary index " + i + ", position " + pos
                        + " (new token " + n + ", path " + path + "); the weights or activations hold NaN or infinity");
            }
        }
    }

    private Token finish(GenerateResult.StopReason r) {
        reason = r;
        endNs = System.nanoTime();
        release();
        LOG.atDebug().setMessage("generation ended")
                .addKeyValue("stopReason", r)
                .addKeyValue("promptTokens", prompt.length)
                .addKeyValue("newTokens", n)
                .addKeyValue("pathLength", path.length())
                .addKeyValue("prefillMs", prefillNs / 1e6)
                .addKeyValue("decodeMs", decodeNs / 1e6)
                .log();
        return null;
    }

    private void release() {
        if (reason == null) {
            reason = GenerateResult.StopReason.CANCELLED;
            endNs = System.nanoTime();
        }
        if (cache != null) {
            cache.close();
            cache = null;
        }
        logits = null;
        if (reserved) {
            reserved = false;
            engine.budget().release(kvBytes);
        }
    }

    GenerateResult result() {
        if (reason == null) throw new IllegalStateException("generation still running");
        int[] ids = Arrays.copyOf(out, n);
        GenerateResult.Timings t = new GenerateResult.Timings(prefillNs / 1e6, decodeNs / 1e6, (endNs - startNs) / 1e6, steps);
        boolean ran = prefillNs > 0;
        return new GenerateResult(prompt.clone(), ids, text == null ? null : engine.codec().decode(ids), path.layers(),
                ran ? (long) path.length() * (1 + steps) : 0, reason, t);
    }

    @Override
    public void close() {
        if (reason == null) finish(GenerateResult.StopReason.CANCELLED);
    }

    /**
     * Streams text for byte-level tokenizers: a token may end inside a multi-byte character, so the
     * text of all tokens so far is decoded and only the part past what was already emitted, and
     * not ending in a replacement character, is handed out.
     */
    static final class TextDecoder {
        private final TextCodec codec;
        private int[] ids = new int[16];
        private int count;
        private int emitted;

        TextDecoder(TextCodec codec) { this.codec = codec; }

        String append(int id) {
            if (count == ids.length) ids = Arrays.copyOf(ids, count * 2);
            ids[count++] = id;
            String all = codec.decode(Arrays.copyOf(ids, count));
            if (all.endsWith("\uFFFD") || all.length() < emitted) return "";
            String piece = all.substring(emitted);
            emitted = all.length();
            return piece;
        }
    }
}
