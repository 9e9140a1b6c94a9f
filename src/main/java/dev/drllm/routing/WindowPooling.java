package dev.drllm.routing;

import dev.drllm.runtime.Backend;
import dev.drllm.runtime.Hidden;

/**
 * How a prompt's hidden states become router logits (DESIGN.md §1, pooling row).
 *
 * <p>{@link Mode#WINDOWED} is the reference: {@code nw = min(W, T)}, {@code ws = T / nw}
 * (integer division), the first {@code nw·ws} tokens are cut into {@code nw} consecutive windows
 * (the tail of {@code T mod nw} tokens is dropped), each window is mean-pooled, the router runs
 * on every window mean and the {@code nw} logit vectors are averaged.
 *
 * <p>{@link Mode#FULL} mean-pools every token into a single window. It is offered for routers
 * trained that way; it is <em>incompatible with reference-trained routers</em>: the router is
 * nonlinear, so the logits of one global mean are not the average of per-window logits, and such
 * routers were never trained on a mean over a whole prompt.
 */
public record WindowPooling(Mode mode, int windows) {
    public enum Mode { WINDOWED, FULL }

    /** The reference default W (the paper: more windows help, saturating past 16). */
    public static final int DEFAULT_WINDOWS = 8;

    public WindowPooling {
        if (mode == null) throw new IllegalArgumentException("pooling mode is missing");
        if (windows < 1) throw new IllegalArgumentException("the window count must be >= 1, got " + windows);
    }

    public static WindowPooling windowed(int windows) { return new WindowPooling(Mode.WINDOWED, windows); }

    public static WindowPooling full() { return new WindowPooling(Mode.FULL, 1); }

    /** Number of windows used for a prompt of {@code tokens} tokens. */
    public int windowCount(int tokens) {
        if (tokens < 1) throw new IllegalArgumentException("cannot pool an empty prompt");
        return mode == Mode.FULL ? 1 : Math.min(windows, tokens);
    }

    /** Tokens per window. */
    public int windowSize(int tokens) {
        return tokens / windowCount(tokens);
    }

    /** The window means, [nw, H], of the hidden states {@code x} = [tokens, H] (see {@link Backend#windowMeans}). */
    public float[] windowMeans(float[] x, int tokens, int hidden) {
        if (x.length != (long) tokens * hidden) {
            throw new IllegalArgumentException("hidden state has " + x.length + " floats, expected " + tokens + "×" + hidden);
        }
        return Backend.windowMeans(x, hidden, windowCount(tokens), windowSize(tokens));
    }

    /** The router's averaged logits over the windows of a backend's hidden state (pooled by the backend). */
    public float[] logits(Router router, Backend backend, Hidden x) {
        int T = x.tokens();
        return averagedLogits(router, backend.windowMeans(x, windowCount(T), windowSize(T)));
    }

    /** The router's averaged logits over the windows of {@code x} = [tokens, H]. */
    public float[] logits(Router router, float[] x, int tokens) {
        return averagedLogits(router, windowMeans(x, tokens, router.hiddenSize()));
    }

    /** Runs the router on each window mean ([nw, H]) and averages the nw logit vectors ({@link Router#logits}). */
    static float[] averagedLogits(Router router, float[] means) {
        int nw = means.length / router.hiddenSize();
        float[] out = new float[Router.CLASSES];
        router.logits(means, 0, nw, out, 0, new float[router.routerHidden()], new float[router.routerHidden()], null);
        return out;
    }
}
