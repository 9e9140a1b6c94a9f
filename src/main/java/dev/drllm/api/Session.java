package dev.drllm.api;

/**
 * A lightweight handle for generating with a loaded {@link DrLlm}: open one per concurrent
 * conversation or worker thread (sessions cost a few objects; the weights are shared). A session
 * runs one generation at a time; many sessions may generate at once from different threads.
 *
 * <p><b>Cancellation</b> ({@link #cancel()}, any thread) is never lost, whenever it arrives:
 * <ul>
 *   <li><em>during</em> a generation — from the moment {@code generate()} or {@code stream()} is
 *       called, tokenization and validation included — it ends that generation with
 *       {@code CANCELLED} at the next execution slot (at once, memory freed, when no step is
 *       running, e.g. a stream nobody is reading);</li>
 *   <li><em>before</em> one, on an idle session, it stays pending and the session's next
 *       generation ends {@code CANCELLED} before its first step (no tokens; an invalid request
 *       is still refused with its error). So a cancel that races another thread entering
 *       {@code generate()} takes effect whichever thread wins. A cancel arriving just after a
 *       generation ended is likewise pending for the next one: use one session per request (they
 *       are cheap) or {@link #clearPendingCancel()} when reusing a session across requests.</li>
 * </ul>
 * An interrupt of the thread that generates acts as a cancel of that generation (it ends
 * {@code CANCELLED} at the next slot; the thread keeps its interrupt status, so later generations
 * on it end at once until the status is cleared).
 */
public final class Session implements AutoCloseable {
    /** The session's slot while a generation is being started (validated, tokenized, reserved). */
    private static final Object STARTING = new Object();

    private final DrLlm engine;
    /** null (idle), {@link #STARTING} or the running {@link Generation}; guarded by {@code this}. */
    private Object current;
    private boolean cancelPending;
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
        try (Generation g = begin(request)) {
            Token t;
            while ((t = g.next()) != null) {
                if (listener != null) listener.onToken(t);
            }
            return g.result();
        }
    }

    /**
     * Starts a generation whose tokens are computed as the returned iterator is advanced (nothing
     * runs ahead of the consumer). Close the stream to stop early and release its memory; a stream
     * dropped unfinished is released when it becomes unreachable (a {@link java.lang.ref.Cleaner}),
     * or at once by {@link #cancel()} / {@link #close()} on this session.
     */
    public TokenStream stream(GenerateRequest request) {
        Generation g = begin(request);
        try {
            return new TokenStream(g);
        } catch (Throwable e) { // OutOfMemoryError included: the reservation must not outlive the failure
            g.close();
            throw e;
        }
    }

    /** Cancels the current generation, or the next one when none runs; see the class comment. */
    public void cancel() {
        Generation g;
        synchronized (this) {
            if (current instanceof Generation running) g = running;
            else {
                cancelPending = true;
                return;
            }
        }
        g.cancel();
    }

    /** Drops a cancel that is pending for the next generation; true when there was one. */
    public synchronized boolean clearPendingCancel() {
        boolean was = cancelPending;
        cancelPending = false;
        return was;
    }

    /**
     * Cancels the running generation, if any (an unread stream's memory is freed at once), and
     * detaches the session; the model stays loaded. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        cancel();
    }

    private Generation begin(GenerateRequest request) {
        synchronized (this) {
            if (closed) throw new EngineClosedException("session is closed");
            if (current != null) {
                throw new DrLlmException("this session already runs a generation; open one session per concurrent generation");
            }
            current = STARTING;
        }
        Generation g = null;
        try {
            g = engine.start(this, request);
        } finally {
            boolean cancel;
            synchronized (this) {
                // a model closing meanwhile may have ended it already (its ended() call saw STARTING)
                current = g != null && g.hasEnded() ? null : g;
                cancel = cancelPending || closed;
                cancelPending = false;
            }
            if (g != null && cancel) g.cancel();
        }
        return g;
    }

    /** Called by a generation when it has ended and freed its memory: the session may start another. */
    synchronized void ended(Generation g) {
        if (current == g) current = null;
    }
}
