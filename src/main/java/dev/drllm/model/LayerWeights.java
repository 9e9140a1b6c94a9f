package dev.drllm.model;

/**
 * One transformer block's tensors, viewed in the mapped checkpoint. Optional tensors (biases,
 * q/k norms) are null when the architecture has none.
 */
public record LayerWeights(
        int index,
        Tensor inputNorm,
        Tensor wq, Tensor wk, Tensor wv, Tensor wo,
        Tensor bq, Tensor bk, Tensor bv, Tensor bo,
        Tensor qNorm, Tensor kNorm,
        Tensor postAttentionNorm,
        Tensor wGate, Tensor wUp, Tensor wDown,
        Tensor bGate, Tensor bUp, Tensor bDown) {
}
