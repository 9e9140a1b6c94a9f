package dev.drllm.util;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * One slice of a per-question job run on many machines ({@code --shard i/n}): the items whose index
 * is i mod n. Striding rather than cutting the file into blocks keeps the shards equally long and
 * equally hard (task files are often sorted by source or difficulty), and the same rule holds for
 * every job, so a Slurm array index or a Kubernetes completion index is the whole description.
 */
public record Shard(int index, int count) {
    public Shard {
        if (count < 1 || index < 0 || index >= count) throw new IllegalArgumentException("--shard must be i/n with 0 <= i < n, got " + index + "/" + count);
    }

    /** "i/n" → the shard. */
    public static Shard parse(String text) {
        String[] p = text.strip().split("/", -1);
        if (p.length == 2) {
            try {
                int i = Integer.parseInt(p[0].strip()), n = Integer.parseInt(p[1].strip());
                if (n >= 1 && i >= 0 && i < n) return new Shard(i, n);
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        throw new IllegalArgumentException("--shard must be i/n with 0 <= i < n, got '" + text + "'");
    }

    /** Whether item {@code item} (a question index, or an example's position) belongs to this shard. */
    public boolean takes(int item) {
        return item % count == index;
    }

    /** The items of {@code all} this shard takes, in their order; {@code key} gives an item's index. */
    public <T> List<T> select(List<T> all, ToIntFunction<T> key) {
        List<T> out = new ArrayList<>();
        for (T x : all) if (takes(key.applyAsInt(x))) out.add(x);
        return out;
    }

    /** How many of the items 0..items-1 this shard takes. */
    public int size(int items) {
        return items <= index ? 0 : (items - 1 - index) / count + 1;
    }

    /** "shard-i-of-n": the tag in the file names the deploy scripts give shard outputs. */
    public String fileTag() {
        return "shard-" + index + "-of-" + count;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
