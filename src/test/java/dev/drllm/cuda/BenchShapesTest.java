package dev.drllm.cuda;

import dev.drllm.runtime.LayerPath;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The bench shapes are the published ones; skip paths drop middle layers. */
class BenchShapesTest {
    @Test
    void publishedShapesAndSkipPaths() {
        assertEquals(1.236, BenchShapes.get("llama-3.2-1b").parameters() / 1e9, 0.01, "Llama 3.2 1B parameter count");
        assertEquals(3.213, BenchShapes.get("llama-3.2-3b").parameters() / 1e9, 0.01, "Llama 3.2 3B parameter count");
        assertThrows(IllegalArgumentException.class, () -> BenchShapes.get("gpt2"));
        LayerPath p = CudaBench.skipping(28, 5);
        assertEquals(23, p.length());
        int[] c = p.counts();
        assertEquals(1, c[0]);
        assertEquals(1, c[1]);
        assertEquals(1, c[27]);
        assertEquals(28, CudaBench.skipping(28, 0).length());
        assertThrows(IllegalArgumentException.class, () -> CudaBench.skipping(4, 2));
    }
}
