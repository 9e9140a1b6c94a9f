package dev.drllm.cuda;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Launch geometry, argument cells and the KV slot layout, checked without a GPU. */
class HostLogicTest {
    @Test
    void argumentCellsHoldValuesAndThePointerArrayPointsAtThem() {
        try (Arena a = Arena.ofConfined()) {
            KernelArgs k = new KernelArgs(a);
            k.reset().ptr(0x7f00_1234_5678L).i32(-7).f32(1.5f).i64(1L << 40);
            assertEquals(4, k.count());
            MemorySegment ptrs = k.pointerArray();
            for (int i = 0; i < 4; i++) {
                assertEquals(k.cell(i).address(), ptrs.getAtIndex(ValueLayout.ADDRESS, i).address(), "pointer " + i);
            }
            assertEquals(0x7f00_1234_5678L, k.cell(0).get(ValueLayout.JAVA_LONG, 0));
            assertEquals(-7, k.cell(1).get(ValueLayout.JAVA_INT, 0));
            assertEquals(1.5f, k.cell(2).get(ValueLayout.JAVA_FLOAT, 0));
            assertEquals(1L << 40, k.cell(3).get(ValueLayout.JAVA_LONG, 0));
            // reuse clears the previous launch
            k.reset().i32(3);
            assertEquals(1, k.count());
            assertEquals(0, k.cell(0).get(ValueLayout.JAVA_INT, 4));
            for (int i = 1; i < KernelArgs.MAX_ARGS; i++) k.i32(i);
            assertThrows(IllegalStateException.class, () -> k.i32(99));
        }
    }

    @Test
    void gemvTilesFitSharedMemoryAndCoverTheTokens() {
        Random r = new Random(7);
        for (int it = 0; it < 2000; it++) {
            int T = 1 + r.nextInt(64), in = 8 * (1 + r.nextInt(3000));
            int tile = LaunchGeometry.gemvTile(T, in);
            assertTrue(tile == 1 || tile == 2 || tile == 4 || tile == 8, "compiled tile " + tile);
            assertTrue(tile <= Math.max(1, T), "tile " + tile + " > T " + T);
            assertTrue(LaunchGeometry.gemvSmem(tile, in) <= LaunchGeometry.GEMV_SMEM_LIMIT, "smem T=" + T + " in=" + in);
            // largest power of two that fits both
            if (tile < 8 && tile * 2 <= T) assertTrue(LaunchGeometry.gemvSmem(tile * 2, in) > LaunchGeometry.GEMV_SMEM_LIMIT);
        }
        assertEquals(2, LaunchGeometry.gemvTile(1 << 10, 8192), "3B down_proj: two tokens per tile");
        assertThrows(IllegalArgumentException.class, () -> LaunchGeometry.gemvTile(1, 30000));
        assertEquals(384, LaunchGeometry.gemvGrid(3072, 132));
        assertEquals(528, LaunchGeometry.gemvGrid(128256, 132), "lm head grid-strides over 4 waves");
        assertEquals(1, LaunchGeometry.gemvGrid(1, 132));
    }

    @Test
    void decodeSplitsCoverEveryPositionOnce() {
        for (int cap = 1; cap < 20000; cap += 37) {
            var s = LaunchGeometry.decodeSplits(cap);
            assertTrue(s.chunk() >= 128 && s.chunk() % 128 == 0, "whole rounds of 4 warps x 32 keys");
            assertTrue((long) s.chunk() * s.count() >= cap, "covers " + cap);
            assertTrue((long) s.chunk() * (s.count() - 1) < cap, "no empty trailing split at " + cap);
            assertTrue(s.count() <= 32, "bounded partial buffers");
        }
    }

    @Test
    void attentionGeometry() {
        assertEquals(3, LaunchGeometry.attnPrefillBlocks(23));
        assertEquals(1, LaunchGeometry.attnPrefillBlocks(8));
        assertTrue(LaunchGeometry.attnPrefillSmem(128) <= 48 * 1024, "prefill attention fits the default 48 KiB");
        assertEquals(32, LaunchGeometry.roundUpWarp(16));
        assertEquals(128, LaunchGeometry.roundUpWarp(128));
        assertThrows(IllegalArgumentException.class, () -> LaunchGeometry.checkModel(256, 8, 8));
        assertThrows(IllegalArgumentException.class, () -> LaunchGeometry.checkModel(12, 8, 8));
        assertThrows(IllegalArgumentException.class, () -> LaunchGeometry.checkModel(64, 6, 4));
        LaunchGeometry.checkModel(128, 24, 8);
    }

    @Test
    void kvLayoutIsDenseAndDisjoint() {
        KvLayout l = new KvLayout(3, 10, 2 * 16);
        boolean[] seen = new boolean[(int) l.slotElements()];
        for (int s = 0; s < 3; s++)
            for (int p = 0; p < 10; p++)
                for (int h = 0; h < 2; h++)
                    for (int d = 0; d < 16; d++) {
                        int o = (int) l.offset(s, p, h, 16, d);
                        assertTrue(!seen[o], "offset reused");
                        seen[o] = true;
                    }
        for (boolean b : seen) assertTrue(b, "layout has holes");
        assertEquals(320, l.seqStride());
        assertEquals(2L * 3 * 320, l.slotBytes());
        assertThrows(IndexOutOfBoundsException.class, () -> l.offset(3, 0, 0, 16, 0));
        assertEquals(0, KvLayout.passSlot(0, 0));
        assertEquals(55, KvLayout.passSlot(27, 1));
    }
}
