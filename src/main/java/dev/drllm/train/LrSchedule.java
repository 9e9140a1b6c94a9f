package dev.drllm.train;

/**
 * Linear warm-up from 0 to the peak learning rate over {@code warmupSteps}, then a half cosine down
 * to 0 at {@code totalSteps} (the shape of transformers' {@code get_cosine_schedule_with_warmup}).
 * When the run is shorter than the warm-up (small label sets), the warm-up is capped at half the
 * run so the peak rate is still reached and the cosine still has room.
 */
public record LrSchedule(double peak, int warmupSteps, int totalSteps) {
    public LrSchedule {
        if (!(peak > 0)) throw new IllegalArgumentException("learning rate must be > 0, got " + peak);
        if (warmupSteps < 0) throw new IllegalArgumentException("warm-up steps must be >= 0, got " + warmupSteps);
        if (totalSteps < 1) throw new IllegalArgumentException("total steps must be >= 1, got " + totalSteps);
    }

    public int effectiveWarmup() {
        return Math.min(warmupSteps, totalSteps / 2);
    }

    /** The rate for step {@code s} (0-based: the rate used by the s-th update). */
    public double at(int s) {
        int w = effectiveWarmup();
        if (s < w) return peak * (s + 1) / w;
        double progress = (double) (s - w) / Math.max(1, totalSteps - w);
        return peak * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress)));
    }
}
