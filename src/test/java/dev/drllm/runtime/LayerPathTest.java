package dev.drllm.runtime;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayerPathTest {
    @Test
    void parsesAndValidates() {
        LayerPath p = LayerPath.parse(4, "0, 1,1,3");
        assertArrayEquals(new int[]{0, 1, 1, 3}, p.layers());
        assertArrayEquals(new int[]{1, 2, 0, 1}, p.counts());
        assertEquals(3, p.distinctLayers());
        assertEquals("0,1,1,3", p.toString());
        assertThrows(InvalidPathException.class, () -> LayerPath.parse(4, "0,2,1"));
        assertThrows(InvalidPathException.class, () -> LayerPath.parse(4, "1,1,1"));
        assertThrows(InvalidPathException.class, () -> LayerPath.parse(4, "0,4"));
        assertThrows(InvalidPathException.class, () -> LayerPath.parse(4, "0,-1"));
        assertThrows(InvalidPathException.class, () -> LayerPath.parse(4, "0,x"));
        assertTrue(LayerPath.full(5).isFull());
        assertEquals(0, LayerPath.parse(4, "").length());
    }

    /** Property: counts ↔ path round-trips and every path built from counts is valid. */
    @Test
    void countsRoundTrip() {
        Random r = new Random(7);
        for (int it = 0; it < 2000; it++) {
            int L = 1 + r.nextInt(40);
            int[] counts = new int[L];
            for (int l = 0; l < L; l++) counts[l] = r.nextInt(3);
            LayerPath p = LayerPath.fromCounts(counts);
            LayerPath.validate(L, p.layers());
            assertArrayEquals(counts, p.counts());
            assertEquals(p, LayerPath.parse(L, p.toString()));
            assertTrue(p.length() <= 2 * L);
        }
    }
}
