package dev.drllm.api;

/**
 * How the next token is picked. Temperature 0 is greedy (the first maximal logit, as
 * {@code torch.argmax}); otherwise temperature + nucleus sampling from a generator seeded with
 * {@code seed}, so the same request always produces the same tokens.
 */
public record Sampling(float temperature, float topP, long seed) {
    public static final Sampling GREEDY = new Sampling(0, 1, 0);

    public Sampling {
        if (!(temperature >= 0) || !Float.isFinite(temperature)) {
            throw new InvalidRequestException("temperature must be a finite number >= 0, got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) throw new InvalidRequestException("topP must be in (0, 1], got " + topP);
    }

    public static Sampling of(float temperature, float topP, long seed) { return new Sampling(temperature, topP, seed); }

    public boolean isGreedy() { return temperature == 0; }
}
