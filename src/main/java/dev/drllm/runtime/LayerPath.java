package dev.drllm.runtime;

import dev.drllm.util.IntList;

import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The blocks a forward pass executes, in order: a non-decreasing list of layer indices, each at
 * most twice (DESIGN.md §2: routing only skips, executes or repeats in order). Position k in the
 * list is execution slot k, which owns its own KV cache.
 */
public final class LayerPath {
    private final int[] layers;
    private final int numLayers;

    private LayerPath(int[] layers, int numLayers) {
        this.layers = layers;
        this.numLayers = numLayers;
    }

    /** The base model's path: every layer once. */
    public static LayerPath full(int numLayers) {
        return new LayerPath(IntStream.range(0, numLayers).toArray(), numLayers);
    }

    public static LayerPath of(int numLayers, int... layers) {
        validate(numLayers, layers);
        return new LayerPath(layers.clone(), numLayers);
    }

    /** From per-layer run counts (0 skip, 1 execute, 2 repeat). */
    public static LayerPath fromCounts(int[] counts) {
        int n = 0;
        for (int c : counts) {
            if (c < 0 || c > 2) throw new InvalidPathException("run count " + c + " is not 0, 1 or 2");
            n += c;
        }
        int[] out = new int[n];
        int k = 0;
        for (int l = 0; l < counts.length; l++) for (int r = 0; r < counts[l]; r++) out[k++] = l;
        return new LayerPath(out, counts.length);
    }

    /** Parses "0,1,1,3" (spaces allowed). */
    public static LayerPath parse(int numLayers, String text) {
        return of(numLayers, IntList.parse(text, part -> new InvalidPathException("'" + part + "' in path '" + text + "' is not a layer index")));
    }

    public static void validate(int numLayers, int[] layers) {
        int[] counts = new int[numLayers];
        for (int i = 0; i < layers.length; i++) {
            int l = layers[i];
            if (l < 0 || l >= numLayers) throw new InvalidPathException("layer " + l + " at position " + i + " is outside 0.." + (numLayers - 1));
            if (i > 0 && l < layers[i - 1]) throw new InvalidPathException("path must be non-decreasing: " + layers[i - 1] + " then " + l + " at position " + i);
            if (++counts[l] > 2) throw new InvalidPathException("layer " + l + " occurs more than twice");
        }
    }

    public int length() { return layers.length; }

    public int layer(int slot) { return layers[slot]; }

    public int numLayers() { return numLayers; }

    public int[] layers() { return layers.clone(); }

    /** Run count per layer. */
    public int[] counts() {
        int[] c = new int[numLayers];
        for (int l : layers) c[l]++;
        return c;
    }

    public int distinctLayers() {
        return (int) Arrays.stream(counts()).filter(c -> c > 0).count();
    }

    public boolean isFull() {
        if (layers.length != numLayers) return false;
        for (int i = 0; i < layers.length; i++) if (layers[i] != i) return false;
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerPath p && p.numLayers == numLayers && Arrays.equals(p.layers, layers);
    }

    @Override
    public int hashCode() { return Arrays.hashCode(layers) * 31 + numLayers; }

    @Override
    public String toString() {
        return Arrays.stream(layers).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }
}
