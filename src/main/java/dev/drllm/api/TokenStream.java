package dev.drllm.api;

import java.lang.ref.Cleaner;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The tokens of one generation as an iterator. Each {@link #hasNext()} that needs a new token runs
 * one forward pass on the calling thread. Use it in try-with-resources: {@link #close()} stops a
 * generation that is not finished and releases its memory.
 * <pre>{@code
 * try (TokenStream s = session.stream(request)) {
 *     while (s.hasNext()) System.out.print(s.next().text());
 *     GenerateResult r = s.result();
 * }
 * }</pre>
 * A stream dropped unfinished without {@code close()} does not leak: once it is unreachable a
 * {@link Cleaner} cancels its generation, which frees its memory reservation and KV cache and
 * makes its session usable again. (That waits for a garbage collection; {@link Session#cancel()}
 * or {@link Session#close()} free it at once.) Not thread-safe, like any iterator.
 */
public final class TokenStream implements Iterator<Token>, AutoCloseable {
    /** One daemon thread for the whole JVM, idle unless a stream was abandoned. */
    private static final Cleaner CLEANER = Cleaner.create();

    private final Generation generation;
    /** Cancels the generation; registered on this stream, so it must not (and does not) reach the stream. */
    private final Cleaner.Cleanable cleanable;
    private Token pending;
    private boolean done;

    TokenStream(Generation generation) {
        this.generation = generation;
        this.cleanable = CLEANER.register(this, generation::close);
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
        cleanable.clean(); // closes the generation (a no-op once it has ended) and unregisters it
    }
}
