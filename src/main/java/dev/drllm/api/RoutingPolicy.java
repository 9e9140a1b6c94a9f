package dev.drllm.api;

import java.util.Arrays;

/**
 * Which blocks a request runs (DESIGN.md §1–2). The path is fixed at prefill and followed by every
 * decode step; the executed path is reported in {@link GenerateResult#executedPath()}.
 */
public sealed interface RoutingPolicy {
    /** The base model: every layer once. */
    record AllLayers() implements RoutingPolicy {}

    /**
     * A caller-chosen layer path: a non-decreasing list of layer indices, each at most twice
     * ({@code [0, 1, 1, 3]} skips layer 2 and repeats layer 1). Validated against the model.
     */
    record FixedPath(int[] layers) implements RoutingPolicy {
        public FixedPath {
            if (layers == null) throw new InvalidRequestException("path layers must not be null");
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

    static RoutingPolicy allLayers() { return new AllLayers(); }

    static RoutingPolicy fixed(int... layers) { return new FixedPath(layers); }
}
