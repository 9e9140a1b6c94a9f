package dev.drllm.api;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The tokens of one generation as an iterator. Each {@link #hasNext()} that needs a new token runs
 * one forward pass on the calling thread. Use it in try-with-resources: {@link #close()} stops a
 * generation that is not finished and releases its KV cache.
 * <pre>{@code
 * try (TokenStream s = session.stream(request)) {
 *     while (s.hasNext()) System.out.print(s.next().text());
 *     GenerateResult r = s.result();
 * }
 * }</pre>
 */
public final class TokenStream implements Iterator<Token>, AutoCloseable {
    private final Session session;
    private final Generation generation;
    private Token pending;
    private boolean done;

    TokenStream(Session session, Generation generation) {
        this.session = session;
        this.generation = generation;
    }

    @Override
    public boolean hasNext() {
        if (pending != null) return true;
        if (done) return false;
        try {
            pending = generation.next();
        } catch (RuntimeException | Error e) {
            end();
            throw e;
        }
        if (pending == null) end();
        return pending != null;
    }

    @Override
    public Token next() {
        if (!hasNext()) throw new NoSuchElementException("the generation has ended");
        Token t = pending;
        pending = null;
        return t;
    }

    /** The result, once {@link #hasNext()} returned false or the stream was closed. */
    public GenerateResult result() {
        if (!done) throw new IllegalStateException("the stream has not ended; read it to the end or close it first");
        return generation.result();
    }

    /** Stops the generation if it is still running (it ends with {@code CANCELLED}). */
    @Override
    public void close() {
        if (!done) end();
    }

    private void end() {
        done = true;
        generation.close();
        session.ended(generation);
    }
}
