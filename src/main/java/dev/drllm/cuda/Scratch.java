package dev.drllm.cuda;

import java.util.HashMap;
import java.util.Map;

/** Named device work buffers that grow to the largest size asked for and are reused between calls. */
final class Scratch implements AutoCloseable {
    private final CudaContext cu;
    private final Map<String, long[]> buffers = new HashMap<>();  // name -> {pointer, bytes}

    Scratch(CudaContext cu) {
        this.cu = cu;
    }

    long get(String name, long bytes) {
        long[] b = buffers.get(name);
        if (b != null && b[1] >= bytes) return b[0];
        if (b != null) {
            cu.sync();
            cu.free(b[0]);
        }
        long size = Math.max(bytes, b == null ? 256 : b[1] * 2);
        long p = cu.alloc(size);
        buffers.put(name, new long[]{p, size});
        return p;
    }

    @Override
    public void close() {
        for (long[] b : buffers.values()) cu.free(b[0]);
        buffers.clear();
    }
}
