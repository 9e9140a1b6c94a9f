package dev.drllm.api;

/**
 * How the next token is picked. Temperature 0 is greedy (the first maximal logit, as
 * {@code torch.argmax}); otherwise temperature + nucleus sampling from a generator seeded with
 * {@code seed}, so the same request always produces the same tokens. Temperatures below
 * {@link #MIN_TEMPERATURE} are greedy too: that is their limit (all mass on the largest logit),
 * and dividing logits by them would overflow to infinity (1e-38 used to sample garbage).
 */
public record Sampling(float temperature, float topP, long seed) {
    public static final Sampling GREEDY = new Sampling(0, 1, 0);
    /** Temperatures below this are treated as greedy ({@link #isGreedy()}); vLLM draws the same line. */
    public static final float MIN_TEMPERATURE = 1e-5f;

    public Sampling {
        if (!(temperature >= 0) || !Float.isFinite(temperature)) {
            throw new InvalidRequestException("temperature must be a finite number >= 0, got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) throw new InvalidRequestException("topP must be in (0, 1], got " + topP);
    }

    public static Sampling of(float temperature, float topP, long seed) { return new Sampling(temperature, topP, seed); }

    /** Temperature 0 or below {@link #MIN_TEMPERATURE}. */
    public boolean isGreedy() { return temperature < MIN_TEMPERATURE; }
}
