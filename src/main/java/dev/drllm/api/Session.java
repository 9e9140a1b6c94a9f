package dev.drllm.api;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A lightweight handle for generating with a loaded {@link DrLlm}: open one per concurrent
 * conversation or worker thread (sessions cost a few objects; the weights are shared). A session
 * runs one generation at a time; many sessions may generate at once from different threads.
 * {@link #cancel()} may be called from any thread.
 */
public final class Session implements AutoCloseable {
    private final DrLlm engine;
    private final AtomicReference<Generation> current = new AtomicReference<>();
    private volatile boolean closed;

    Session(DrLlm engine) { this.engine = engine; }

    /** Generates to the end (stop token, max tokens or cancellation) and returns the result. */
    public GenerateResult generate(GenerateRequest request) {
        return generate(request, null);
    }

    /**
     * Generates, handing each token to {@code listener} as soon as it is sampled.
     *
     * @throws LimitExceededException  the request crosses a {@link Limits limit}
     * @throws InvalidRequestException bad ids, path or prompt
     * @throws NumericalException      the model produced NaN / infinite logits
     */
    public GenerateResult generate(GenerateRequest request, TokenListener listener) {
        Generation g = begin(request);
        try (g) {
            Token t;
            while ((t = g.next()) != null) {
                if (listener != null) listener.onToken(t);
            }
            return g.result();
        } finally {
            current.compareAndSet(g, null);
        }
    }

    /**
     * Starts a generation whose tokens are computed as the returned iterator is advanced (nothing
     * runs ahead of the consumer). Close the stream to stop early and release its KV cache.
     */
    public TokenStream stream(GenerateRequest request) {
        return new TokenStream(this, begin(request));
    }

    /** Stops the running generation, if any, at the next execution slot; it ends with {@code CANCELLED}. */
    public void cancel() {
        Generation g = current.get();
        if (g != null) g.cancel();
    }

    /** Cancels a running generation and detaches the session; the model stays loaded. */
    @Override
    public void close() {
        closed = true;
        cancel();
    }

    private Generation begin(GenerateRequest request) {
        if (closed) throw new EngineClosedException("session is closed");
        Generation g = engine.start(request);
        if (!current.compareAndSet(null, g)) {
            g.close();
            throw new DrLlmException("this session already runs a generation; open one session per concurrent generation");
        }
        if (closed) g.cancel();
        return g;
    }

    void ended(Generation g) { current.compareAndSet(g, null); }
}
