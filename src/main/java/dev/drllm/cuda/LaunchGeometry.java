package dev.drllm.cuda;

/**
 * Grid, block and shared-memory sizes of the kernels (native/drllm_kernels.h), as pure functions so
 * they are tested on any machine.
 */
public final class LaunchGeometry {
    /** Rows a GEMV block stages at most: the kernel is compiled for 1, 2, 4 and 8. */
    public static final int GEMV_MAX_TILE = 8;
    public static final int GEMV_THREADS = 256;
    public static final int GEMV_WARPS = GEMV_THREADS / 32;
    /** Dynamic shared memory a GEMV block may use for its staged inputs (opted in above 48 KiB). */
    public static final int GEMV_SMEM_LIMIT = 96 * 1024;
    public static final int ATT_ROWS = 8;
    public static final int ATT_TILE = 32;
    public static final int MAX_HEAD_DIM = 128;

    private LaunchGeometry() {}

    public static int roundUpWarp(int n) {
        return (n + 31) / 32 * 32;
    }

    /** Token tile of gemv_bf16_tN for T rows of {@code in} inputs: the largest N whose staged inputs fit. */
    public static int gemvTile(int tokens, int in) {
        int fit = GEMV_SMEM_LIMIT / (in * 4);
        if (fit < 1) throw new IllegalArgumentException("input width " + in + " too large for the GEMV kernel (max " + GEMV_SMEM_LIMIT / 4 + ")");
        int tt = 1;
        while (tt * 2 <= Math.min(Math.min(tokens, GEMV_MAX_TILE), fit)) tt *= 2;
        return tt;
    }

    public static long gemvSmem(int tile, int in) {
        return (long) tile * in * 4;
    }

    /** One warp per output row, grid-strided, at most four waves of blocks per multiprocessor. */
    public static int gemvGrid(int out, int multiprocessors) {
        int blocks = (out + GEMV_WARPS - 1) / GEMV_WARPS;
        return Math.max(1, Math.min(blocks, 4 * multiprocessors));
    }

    public static int attnPrefillBlocks(int tokens) {
        return (tokens + ATT_ROWS - 1) / ATT_ROWS;
    }

    public static long attnPrefillSmem(int headDim) {
        return (2L * ATT_TILE * (headDim + 1) + (long) ATT_ROWS * headDim) * 4;
    }

    /**
     * Split-K decode: keys per split and the number of splits for a cache of {@code capacity}
     * positions. attn_decode_partial's four warps score 32 keys each per round, so a chunk is a
     * multiple of 128 keys; at most 32 splits, longer contexts take more rounds per block.
     */
    public record Splits(int chunk, int count) {}

    public static Splits decodeSplits(int capacity) {
        if (capacity <= 0) throw new IllegalArgumentException("capacity must be positive: " + capacity);
        int chunk = 128 * Math.max(1, (capacity + 128 * 32 - 1) / (128 * 32));
        return new Splits(chunk, (capacity + chunk - 1) / chunk);
    }

    /** Checks the model dimensions the kernels support. */
    public static void checkModel(int headDim, int heads, int kvHeads) {
        // key rows are read as 16-byte words (8 bf16) by the decode attention
        if (headDim > MAX_HEAD_DIM || headDim % 8 != 0) {
            throw new IllegalArgumentException("head_dim " + headDim + " unsupported by the CUDA kernels (a multiple of 8, at most " + MAX_HEAD_DIM + ")");
        }
        if (heads % kvHeads != 0) throw new IllegalArgumentException("num_attention_heads " + heads + " is not a multiple of num_key_value_heads " + kvHeads);
    }
}
