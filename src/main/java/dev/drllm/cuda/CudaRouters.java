package dev.drllm.cuda;

import dev.drllm.model.ModelConfig;
import dev.drllm.routing.Router;
import dev.drllm.routing.Routers;

import java.util.ArrayList;
import java.util.List;

/** The Dr.LLM routers resident on the GPU (f32; ~11M parameters for a 3B model) and their launch. */
final class CudaRouters implements AutoCloseable {
    private final CudaContext cu;
    private final CudaKernels k;
    private final Routers routers;
    private final List<long[]> layers = new ArrayList<>();
    private final long pooled, hid;
    private final int H, R, windows;

    CudaRouters(CudaContext cu, CudaKernels k, Routers routers, ModelConfig c) {
        if (routers == null) throw new IllegalArgumentException("a routed prefill needs routers");
        if (routers.numLayers() != c.numLayers() || routers.hiddenSize() != c.hiddenSize()) {
            throw new IllegalArgumentException("routers for " + routers.numLayers() + " layers of width " + routers.hiddenSize()
                    + " do not fit the model (" + c.numLayers() + " x " + c.hiddenSize() + ")");
        }
        this.cu = cu;
        this.k = k;
        this.routers = routers;
        this.H = c.hiddenSize();
        this.R = routers.get(0).routerHidden();
        this.windows = routers.windows();
        for (Router r : routers.all()) {
            layers.add(new long[]{cu.uploadNew(r.w1()), cu.uploadNew(r.b1()), cu.uploadNew(r.w2()), cu.uploadNew(r.b2())});
        }
        pooled = cu.alloc(4L * windows * H);
        hid = cu.alloc(4L * windows * R);
    }

    /** Decision of layer l on the T-token state at x: written to the device ints / floats given. */
    void decide(int l, long x, int T, long decision, long logits) {
        long[] p = layers.get(l);
        k.router(x, T, H, windows, R, p[0], p[1], p[2], p[3], pooled, hid, logits, decision);
    }

    @Override
    public void close() {
        for (long[] p : layers) for (long q : p) cu.free(q);
        cu.free(pooled);
        cu.free(hid);
    }
}
