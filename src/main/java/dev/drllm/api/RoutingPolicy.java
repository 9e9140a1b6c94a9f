package dev.drllm.api;

import java.util.Arrays;

/**
 * Which blocks a request runs (DESIGN.md §1–2). The path is fixed at prefill and followed by every
 * decode step; the executed path is reported in {@link GenerateResult#executedPath()}.
 */
public sealed interface RoutingPolicy {
    /** Routed when the model was loaded with routers, every layer once otherwise (the default). */
    record Auto() implements RoutingPolicy {}

    /** The base model: every layer once, bit for bit (routers, when loaded, are not consulted). */
    record AllLayers() implements RoutingPolicy {}

    /**
     * Dr.LLM routing: the routers decide skip / execute / repeat for each layer once, at prefill.
     *
     * @param skipBias   added to every router's skip logit (positive saves layers)
     * @param repeatBias added to every router's repeat logit (negative suppresses repeats)
     * @param maxPath    cap on the path length (at least 1), {@link #NO_CAP} for none; over the
     *                   cap the least-confident repeats go first, then the least-confident executes.
     *                   Routers that skip every layer (e.g. a huge skip bias) make the generation
     *                   fail with {@link InvalidRequestException}: an empty path runs no block
     */
    record Routed(float skipBias, float repeatBias, int maxPath) implements RoutingPolicy {
        public static final int NO_CAP = -1;

        public Routed {
            if (!Float.isFinite(skipBias) || !Float.isFinite(repeatBias)) {
                throw new InvalidRequestException("route biases must be finite, got skip " + skipBias + ", repeat " + repeatBias);
            }
            if (maxPath < 1 && maxPath != NO_CAP) {
                throw new InvalidRequestException("maxPath must be >= 1 (a path runs at least one layer) or NO_CAP, got " + maxPath);
            }
        }
    }

    /**
     * A caller-chosen layer path: a non-empty, non-decreasing list of layer indices, each at most
     * twice ({@code [0, 1, 1, 3]} skips layer 2 and repeats layer 1). Validated against the model.
     */
    record FixedPath(int[] layers) implements RoutingPolicy {
        public FixedPath {
            if (layers == null) throw new InvalidRequestException("path layers must not be null");
            // no block at all: the embedding straight into the LM head, never an answer
            if (layers.length == 0) throw new InvalidRequestException("a fixed path needs at least one layer");
            layers = layers.clone();
        }

        @Override
        public int[] layers() { return layers.clone(); }

        @Override
        public boolean equals(Object o) { return o instanceof FixedPath p && Arrays.equals(p.layers, layers); }

        @Override
        public int hashCode() { return Arrays.hashCode(layers); }

        @Override
        public String toString() { return "FixedPath" + Arrays.toString(layers); }
    }

    static RoutingPolicy auto() { return new Auto(); }

    static RoutingPolicy allLayers() { return new AllLayers(); }

    /** Routing by the routers' argmax, no bias, no cap. */
    static RoutingPolicy routed() { return new Routed(0, 0, Routed.NO_CAP); }

    static RoutingPolicy routed(float skipBias, float repeatBias, int maxPath) { return new Routed(skipBias, repeatBias, maxPath); }

    static RoutingPolicy fixed(int... layers) { return new FixedPath(layers); }
}
