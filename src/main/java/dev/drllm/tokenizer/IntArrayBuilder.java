package dev.drllm.tokenizer;

import java.util.Arrays;

/** A growable int array, so encoding does not box every id (not {@code util.IntList}, which parses "1,2,3"). */
final class IntArrayBuilder {
    private int[] a;
    private int size;

    IntArrayBuilder(int capacity) { a = new int[Math.max(4, capacity)]; }

    void add(int v) {
        if (size == a.length) a = Arrays.copyOf(a, size * 2);
        a[size++] = v;
    }

    void addAll(int[] vs) {
        if (size + vs.length > a.length) a = Arrays.copyOf(a, Math.max(size * 2, size + vs.length));
        System.arraycopy(vs, 0, a, size, vs.length);
        size += vs.length;
    }

    int size() { return size; }

    int[] toArray() { return Arrays.copyOf(a, size); }
}
