package dev.drllm.cuda;

/**
 * Where a key or value lives in an execution slot's device cache (bf16): [sequence][position][kvDim],
 * kvDim = kvHeads × headDim, exactly as qkv_post writes and the attention kernels read it.
 * The captured decode graph gives pass (layer, rep) the fixed slot 2·layer + rep, so every path of
 * every sequence in a batch finds its keys without a host-side slot table.
 */
public record KvLayout(int sequences, int capacity, int kvDim) {
    public KvLayout {
        if (sequences <= 0 || capacity <= 0 || kvDim <= 0) throw new IllegalArgumentException("bad KV layout " + sequences + "x" + capacity + "x" + kvDim);
    }

    /** Elements between two sequences of one slot (the kernels' seqStride). */
    public long seqStride() {
        return (long) capacity * kvDim;
    }

    /** Elements of one slot's K (or V) array. */
    public long slotElements() {
        return sequences * seqStride();
    }

    public long slotBytes() {
        return slotElements() * 2;
    }

    public long offset(int seq, int pos, int kvHead, int headDim, int d) {
        if (seq < 0 || seq >= sequences || pos < 0 || pos >= capacity) throw new IndexOutOfBoundsException("seq " + seq + " pos " + pos);
        return seq * seqStride() + (long) pos * kvDim + (long) kvHead * headDim + d;
    }

    /** The fixed slot of pass {@code rep} (0 or 1) of {@code layer} in the decode graph. */
    public static int passSlot(int layer, int rep) {
        if (rep < 0 || rep > 1) throw new IllegalArgumentException("rep " + rep);
        return 2 * layer + rep;
    }
}
