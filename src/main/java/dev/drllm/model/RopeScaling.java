package dev.drllm.model;

/**
 * Rotary position embedding parameters. {@code type} is "default", "linear" or "llama3"; the
 * llama3 fields follow transformers' {@code _compute_llama3_parameters}.
 */
public record RopeScaling(String type, double theta, double factor, double lowFreqFactor, double highFreqFactor,
                          int originalMaxPositions) {

    public static RopeScaling plain(double theta) {
        return new RopeScaling("default", theta, 1, 1, 4, 0);
    }

    /**
     * The inverse frequencies for a head of size {@code headDim}, in float32 as transformers
     * computes them ({@code 1 / base^(arange(0, d, 2) / d)}), then scaled.
     */
    public float[] inverseFrequencies(int headDim) {
        int half = headDim / 2;
        float[] inv = new float[half];
        for (int i = 0; i < half; i++) {
            float exponent = (float) (2 * i) / (float) headDim;
            inv[i] = (float) (1.0 / Math.pow(theta, exponent));
        }
        switch (type) {
            case "default" -> { }
            case "linear" -> {
                for (int i = 0; i < half; i++) inv[i] = (float) (inv[i] / factor);
            }
            case "llama3" -> {
                double lowWavelen = originalMaxPositions / lowFreqFactor;
                double highWavelen = originalMaxPositions / highFreqFactor;
                for (int i = 0; i < half; i++) {
                    double wavelen = 2 * Math.PI / inv[i];
                    double f = inv[i];
                    if (wavelen > lowWavelen) {
                        f = inv[i] / factor;
                    } else if (wavelen >= highWavelen) {
                        // medium band: interpolate between scaled and unscaled frequencies
                        double smooth = (originalMaxPositions / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
                        f = (1 - smooth) * inv[i] / factor + smooth * inv[i];
                    }
                    inv[i] = (float) f;
                }
            }
            default -> throw new IllegalStateException("unsupported rope type " + type);
        }
        return inv;
    }
}
