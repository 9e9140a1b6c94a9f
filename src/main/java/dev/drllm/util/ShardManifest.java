package dev.drllm.util;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;

/**
 * What a shard output holds: which job, which slice ({@link Shard}) of how many items, and the run
 * settings every shard of the run must share (model and data fingerprints, seeds, budgets). It sits
 * beside the output as {@code <output>.shard.json}, written before the first result, so a shard's
 * results are never mistaken for a whole run, a resubmitted shard must be the same slice of the same
 * run, and a merge can tell a missing, duplicate or foreign shard by name ({@link #checkSet}). The
 * output formats themselves stay as the single-machine jobs write them.
 */
public record ShardManifest(String job, Shard shard, int items, ObjectNode run) {
    public static final String FORMAT = "drllm-shard/1";
    /** A merge names at most this many missing items, then counts the rest. */
    private static final int NAMED = 5;

    public ShardManifest {
        if (items < 0) throw new IllegalArgumentException("items must be >= 0, got " + items);
        run = normalized(run);
    }

    /**
     * The settings as they read back from the file: a long 0 or a float 1.5 set in memory must equal
     * the int 0 and double 1.5 Jackson reads, or a resubmitted shard would look like another run.
     */
    private static ObjectNode normalized(ObjectNode run) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(run));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code <output>.shard.json}. */
    public static Path sidecar(Path output) {
        return output.resolveSibling(output.getFileName() + ".shard.json");
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("format", FORMAT);
        o.put("job", job);
        o.put("shard", shard.index());
        o.put("shards", shard.count());
        o.put("items", items);
        o.set("run", run.deepCopy());
        return o;
    }

    static ShardManifest fromJson(JsonNode o, Path file) {
        JsonFields f = JsonFields.of(o, file, 0);
        String format = f.text("format");
        if (!FORMAT.equals(format)) throw f.fault("format '" + format + "' is not " + FORMAT + " (not a drllm shard manifest)");
        int shards = f.intIn("shards", 1, Integer.MAX_VALUE);
        int shard = f.intIn("shard", 0, shards - 1);
        return new ShardManifest(f.nonBlankText("job"), new Shard(shard, shards), f.nonNegativeInt("items"), (ObjectNode) f.object("run").node());
    }

    /** The manifest of a shard output; a missing one is refused as "not a shard output". */
    public static ShardManifest read(Path output) {
        Path m = sidecar(output);
        if (!Files.isRegularFile(output)) throw new ShardException(output, "no such shard output");
        if (!Files.isRegularFile(m)) {
            throw new ShardException(output, "has no " + m.getFileName() + " beside it: not the output of a drllm --shard run (an unsharded run needs no merge)");
        }
        return readSidecar(m);
    }

    private static ShardManifest readSidecar(Path m) {
        try {
            return fromJson(Json.MAPPER.readTree(m.toFile()), m);
        } catch (IOException e) {
            throw new ShardException(m, "not readable JSON: " + e.getMessage());
        }
    }

    /**
     * Called by a sharded run before it writes {@code output}: writes the manifest, or, when the
     * output was started before (a resubmitted shard), checks it is this same shard of this same run.
     */
    public void claim(Path output) {
        Path m = sidecar(output);
        if (Files.exists(m)) {
            ShardManifest old = readSidecar(m);
            String diff = old.differenceFrom(this);
            if (diff != null) {
                throw new ShardException(output, "was started as " + old.describe() + " of another run (" + diff + " there; this run: "
                        + this.valueOf(diff) + "); use a new output, or the same settings to resume it");
            }
            return;
        }
        try {
            AtomicFiles.writeString(m, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(toJson()) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(m + ": " + e.getMessage(), e);
        }
    }

    /**
     * Called by an unsharded run before it continues {@code output}: a shard's output would then hold
     * a whole run under a manifest that says it is one slice.
     */
    public static void refuseUnsharded(Path output, String job) {
        Path m = sidecar(output);
        if (Files.exists(m)) {
            throw new ShardException(output, "is a shard output (" + m.getFileName() + "); continue it with its --shard, merge the shards with drllm "
                    + job + "-merge, or use a new output for an unsharded run");
        }
    }

    /** "shard 1/4 of drllm mcts over 500 items". */
    public String describe() {
        return "shard " + shard + " of drllm " + job + " over " + items + " items";
    }

    /**
     * The first thing in which {@code other} belongs to another run than this one, as "SETTING VALUE"
     * (this manifest's value); null when both are shards of one run (their shard index may differ).
     */
    String differenceFrom(ShardManifest other) {
        if (!job.equals(other.job)) return "job " + job;
        if (shard.count() != other.shard.count()) return "shard count " + shard.count();
        if (items != other.items) return "item count " + items;
        Set<String> keys = new TreeSet<>();
        run.fieldNames().forEachRemaining(keys::add);
        other.run.fieldNames().forEachRemaining(keys::add);
        for (String k : keys) {
            JsonNode a = run.get(k), b = other.run.get(k);
            if (a == null ? b != null : !a.equals(b)) return k + " " + (a == null ? "unset" : a.isTextual() ? a.asText() : a.toString());
        }
        return null;
    }

    /** This manifest's value of the setting a {@link #differenceFrom} text names. */
    private String valueOf(String difference) {
        String key = difference.startsWith("job ") ? "job" : difference.startsWith("shard count ") ? "shard count"
                : difference.startsWith("item count ") ? "item count" : difference.substring(0, difference.indexOf(' '));
        return switch (key) {
            case "job" -> job;
            case "shard count" -> Integer.toString(shard.count());
            case "item count" -> Integer.toString(items);
            default -> {
                JsonNode v = run.get(key);
                yield v == null ? "unset" : v.isTextual() ? v.asText() : v.toString();
            }
        };
    }

    /** Shard outputs checked to be every shard of one run, exactly once: {@code files.get(i)} holds shard i. */
    public record Checked(ShardManifest run, List<Path> files) {
        public Checked {
            files = List.copyOf(files);
        }

        /** The manifest of shard {@code i} (the file {@code files.get(i)}). */
        public ShardManifest shard(int i) {
            return new ShardManifest(run.job, new Shard(i, files.size()), run.items, run.run);
        }

        /** Checks every shard holds exactly its items ({@link #requireComplete}); {@code itemsOf} reads a file's item indices. */
        public void requireComplete(java.util.function.Function<Path, Collection<Integer>> itemsOf, String what) {
            for (int i = 0; i < files.size(); i++) shard(i).requireComplete(files.get(i), itemsOf.apply(files.get(i)), what);
        }
    }

    /**
     * Checks that {@code outputs} are the shards of one run of drllm {@code job}: each has a
     * manifest, all share the job, shard count, item count and run settings (a foreign shard is
     * named with the setting it differs in), and every shard index appears exactly once (a missing or
     * duplicate shard is named).
     */
    public static Checked checkSet(String job, List<Path> outputs) {
        if (outputs.isEmpty()) throw new ShardException(null, "no shard outputs given");
        ShardManifest first = null;
        Path firstFile = null;
        Path[] byIndex = null;
        for (Path f : outputs) {
            ShardManifest m = read(f);
            if (!m.job.equals(job)) throw new ShardException(f, "is " + m.describe() + ", not an output of drllm " + job);
            if (first == null) {
                first = m;
                firstFile = f;
                byIndex = new Path[m.shard.count()];
            } else {
                String diff = m.differenceFrom(first);
                if (diff != null) {
                    throw new ShardException(f, "is a foreign shard: " + m.describe() + " with " + diff + ", but " + firstFile + " has "
                            + first.valueOf(diff) + " (shards of different runs cannot be merged)");
                }
            }
            Path other = byIndex[m.shard.index()];
            if (other != null) {
                throw new ShardException(f, "duplicate shard " + m.shard + ": " + other + " is shard " + m.shard + " too");
            }
            byIndex[m.shard.index()] = f;
        }
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < byIndex.length; i++) if (byIndex[i] == null) missing.add(i);
        if (!missing.isEmpty()) {
            int n = byIndex.length;
            List<String> names = missing.stream().map(i -> i + "/" + n).toList();
            throw new ShardException(null, (missing.size() == 1 ? "shard " : "shards ") + String.join(", ", names) + " missing: " + outputs.size()
                    + " of " + byIndex.length + " shard outputs given (" + String.join(", ", outputs.stream().map(Path::toString).toList()) + ")");
        }
        return new Checked(first, List.of(byIndex));
    }

    /**
     * Checks that the items a shard output holds ({@code items}, in file order) are exactly those its
     * shard takes of 0..items-1: none foreign, none twice, none missing (an unfinished shard).
     * {@code what} names an item ("question", "example").
     */
    public void requireComplete(Path output, Collection<Integer> seen, String what) {
        requireComplete(output, seen, what, i -> false);
    }

    /**
     * As {@link #requireComplete(Path, Collection, String)} for a job that may finish before its last
     * item (a curated MCTS shard stops once its quota is kept): the shard's items are walked in its
     * order and {@code doneAfter} is told each one present, in that order, until it answers that the
     * shard's work was done after that item; items past that point may be there or not (a parallel
     * run may have searched a few). An item missing before that point is an unfinished shard.
     */
    public void requireComplete(Path output, Collection<Integer> seen, String what, IntPredicate doneAfter) {
        Set<Integer> have = new HashSet<>();
        for (int i : seen) {
            if (i < 0 || i >= items || !shard.takes(i)) throw new ShardException(output, what + " " + i + " does not belong to " + describe());
            if (!have.add(i)) throw new ShardException(output, what + " " + i + " is there twice");
        }
        int expected = shard.size(items);
        int missing = 0;
        List<String> named = new ArrayList<>();
        for (int i = shard.index(); i < items; i += shard.count()) {
            if (!have.contains(i)) {
                missing++;
                if (named.size() < NAMED) named.add(Integer.toString(i));
            } else if (missing == 0 && doneAfter.test(i)) {
                return;
            }
        }
        if (missing == 0) return;
        throw new ShardException(output, "unfinished " + describe() + ": " + missing + " of its " + expected + " " + what
                + "s missing (" + String.join(", ", named) + (missing > named.size() ? ", …" : "")
                + "); rerun the shard with the same command (it resumes), then merge again");
    }
}
