package dev.drllm.train;

import dev.drllm.routing.WindowPooling;
import dev.drllm.runtime.Backend;
import dev.drllm.runtime.Hidden;
import dev.drllm.runtime.KvCache;
import dev.drllm.runtime.LayerPath;

/**
 * Router inputs under teacher forcing (Dr.LLM §3.3): the frozen base runs the prompt along the
 * <em>labelled</em> path, and router l's input is the window means of the hidden state at the
 * point where layer l's decision is taken on that path.
 *
 * <p>Which state that is, per label: for execute and repeat it is the state entering the first
 * pass of layer l (the repeat's second pass has no router of its own). For a skipped layer it is
 * the state the labelled path carries past l — the state after every executed slot of the layers
 * before l, which is also the state entering the next executed layer (or the state after the last
 * slot when every later layer is skipped). That is exactly what router l sees at inference when
 * the routers before it decided as labelled, so training and routed prefill
 * ({@code dev.drllm.routing}) agree on every input the labels describe.
 *
 * <p>The loop runs the backend directly rather than through {@code PathExecutor.forward}: the
 * features of trailing skipped layers need the state after the last slot, and no logits are needed.
 * Pooling goes through {@link Backend#windowMeans}, as routed prefill's does.
 */
public final class TeacherForcing {
    private TeacherForcing() {}

    /**
     * The window means for every layer, [L, nw, H] flattened, with nw = the pooling's window count
     * for this prompt.
     */
    public static float[] features(Backend backend, WindowPooling pooling, int[] prompt, LayerPath path) {
        int L = backend.config().numLayers(), H = backend.config().hiddenSize();
        if (path.numLayers() != L) throw new IllegalArgumentException("labelled path is for " + path.numLayers() + " layers, the model has " + L);
        int T = prompt.length;
        int nw = pooling.windowCount(T), ws = pooling.windowSize(T);
        int per = nw * H;
        float[] out = new float[L * per];
        try (KvCache cache = backend.newCache(Math.max(1, path.length()), T); Hidden x = backend.embed(prompt)) {
            int next = 0; // the first layer whose features are not yet written
            for (int s = 0; s < path.length(); s++) {
                int layer = path.layer(s);
                if (layer >= next) {
                    float[] means = backend.windowMeans(x, nw, ws);
                    for (; next <= layer; next++) System.arraycopy(means, 0, out, next * per, per);
                }
                backend.block(layer, x, cache, s);
            }
            if (next < L) {
                float[] means = backend.windowMeans(x, nw, ws);
                for (; next < L; next++) System.arraycopy(means, 0, out, next * per, per);
            }
        }
        return out;
    }
}
