package dev.drllm.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Packs a kernel's arguments for {@code cuLaunchKernel}'s {@code void** kernelParams}: each argument
 * gets an 8-byte cell holding its value (int / float in the low 4 bytes, little endian; device
 * pointers and long long in all 8), and the pointer array holds the cells' addresses in order. The
 * driver copies the values at launch (also into a captured graph), so one instance is reused.
 */
public final class KernelArgs {
    public static final int MAX_ARGS = 32;

    private final MemorySegment cells;
    private final MemorySegment pointers;
    private final char[] kinds = new char[MAX_ARGS];
    private int n;

    public KernelArgs(Arena arena) {
        this.cells = arena.allocate(8L * MAX_ARGS, 8);
        this.pointers = arena.allocate(ValueLayout.ADDRESS, MAX_ARGS);
    }

    public KernelArgs reset() {
        n = 0;
        cells.fill((byte) 0);
        return this;
    }

    private long next(char kind) {
        if (n == MAX_ARGS) throw new IllegalStateException("more than " + MAX_ARGS + " kernel arguments");
        long off = 8L * n;
        kinds[n] = kind;
        pointers.setAtIndex(ValueLayout.ADDRESS, n, cells.asSlice(off, 8));
        n++;
        return off;
    }

    /** int, unsigned or enum parameter. */
    public KernelArgs i32(int v) {
        cells.set(ValueLayout.JAVA_INT, next('i'), v);
        return this;
    }

    public KernelArgs f32(float v) {
        cells.set(ValueLayout.JAVA_FLOAT, next('f'), v);
        return this;
    }

    /** long long parameter. */
    public KernelArgs i64(long v) {
        cells.set(ValueLayout.JAVA_LONG, next('l'), v);
        return this;
    }

    /** A device pointer (0 for a nullable one). */
    public KernelArgs ptr(long devicePointer) {
        return i64(devicePointer);
    }

    public int count() { return n; }

    /** Argument i's kind: 'i' int, 'f' float, 'l' 8 bytes (pointer or long long). */
    public char kind(int i) {
        if (i < 0 || i >= n) throw new IndexOutOfBoundsException(i);
        return kinds[i];
    }

    /** The {@code void**} to hand to cuLaunchKernel. */
    public MemorySegment pointerArray() { return pointers; }

    /** The cell of argument i (tests read the packed bytes back). */
    public MemorySegment cell(int i) {
        if (i < 0 || i >= n) throw new IndexOutOfBoundsException(i);
        return cells.asSlice(8L * i, 8);
    }
}
