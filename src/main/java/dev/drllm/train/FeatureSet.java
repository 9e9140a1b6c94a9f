package dev.drllm.train;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.model.CheckpointException;
import dev.drllm.model.DType;
import dev.drllm.model.ModelFingerprint;
import dev.drllm.model.SafetensorsFile;
import dev.drllm.model.SafetensorsWriter;
import dev.drllm.model.Tensor;
import dev.drllm.routing.WindowPooling;
import dev.drllm.runtime.Backend;
import dev.drllm.runtime.LayerPath;
import dev.drllm.util.Json;
import dev.drllm.util.Shard;
import dev.drllm.util.ShardException;
import dev.drllm.util.ShardManifest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The teacher-forced router inputs of a label set, computed once with the frozen base and cached
 * on disk (training then never touches the base model). Example i holds {@code features[i]} =
 * [L, windows[i], H] window means and {@code labels[i]} = [L] run counts.
 *
 * <p>The cache file is a safetensors file ({@code features.i}, {@code labels.i}) whose metadata
 * carries a key: a hash of the model's content ({@link ModelFingerprint}), the window count and every
 * label and prompt. A cache with another key is recomputed, never reused.
 */
public record FeatureSet(int numLayers, int hidden, int windowsCap, List<String> ids, List<String> groups,
                         List<float[]> features, int[] windows, int[][] labels) {
    private static final String KEY = "drllm.features.key";
    /** The job name in the shard manifests of feature shards. */
    public static final String JOB = "train-routers";

    public int size() { return ids.size(); }

    /** Extracts the features of every example (progress reported per example). */
    public static FeatureSet extract(Backend backend, WindowPooling pooling, List<LabelledPrompt> examples, IntConsumer progress) {
        int L = backend.config().numLayers(), H = backend.config().hiddenSize();
        List<String> ids = new ArrayList<>(), groups = new ArrayList<>();
        List<float[]> feats = new ArrayList<>();
        int[] windows = new int[examples.size()];
        int[][] labels = new int[examples.size()][];
        for (int i = 0; i < examples.size(); i++) {
            LabelledPrompt ex = examples.get(i);
            if (ex.counts().length != L) {
                throw new IllegalArgumentException(ex.id() + ": " + ex.counts().length + " per-layer labels, the model has " + L + " layers");
            }
            ids.add(ex.id());
            groups.add(ex.group());
            feats.add(TeacherForcing.features(backend, pooling, ex.prompt(), LayerPath.fromCounts(ex.counts())));
            windows[i] = pooling.windowCount(ex.prompt().length);
            labels[i] = ex.counts().clone();
            if (progress != null) progress.accept(i + 1);
        }
        return new FeatureSet(L, H, pooling.windows(), List.copyOf(ids), List.copyOf(groups), feats, windows, labels);
    }

    /** Features with the cache file they were read from or written to (null without a cache directory). */
    public record Cached(FeatureSet features, Path file) {}

    /**
     * The features of {@code examples}, from the cache in {@code dir} when it holds them, otherwise
     * extracted and written there (atomically, with the file's normal mode). The file name carries
     * the key, so caches of different label sets or models live side by side; a file whose stored
     * key differs is recomputed, never reused.
     */
    public static Cached cached(Path dir, Path modelDir, Backend backend, WindowPooling pooling, List<LabelledPrompt> examples,
                                IntConsumer progress) throws IOException {
        String key = key(modelDir, pooling, examples);
        Path cache = dir == null ? null : cacheFile(dir, key);
        if (cache != null && Files.isRegularFile(cache)) {
            try (SafetensorsFile f = SafetensorsFile.open(cache)) {
                if (key.equals(f.metadata().get(KEY))) {
                    return new Cached(read(f, backend.config().numLayers(), backend.config().hiddenSize(), pooling.windows()), cache);
                }
            }
        }
        FeatureSet fs = extract(backend, pooling, examples, progress);
        if (cache != null) fs.write(cache, key);
        return new Cached(fs, cache);
    }

    /** The cache file of the features with {@code key} in {@code dir}. */
    private static Path cacheFile(Path dir, String key) {
        return dir.resolve("features-" + key.substring(0, 16) + ".safetensors");
    }

    /**
     * The feature pass of one shard of {@code examples} (the positions {@code shard} takes), written to
     * {@code out} beside its {@link ShardManifest} (run setting: the key of all the examples). A
     * complete output of the same shard is kept, not recomputed; the features are written at the end,
     * atomically, so a killed shard leaves nothing half-written and starts its slice again.
     */
    public static void extractShard(Path out, Shard shard, Path modelDir, Backend backend, WindowPooling pooling, List<LabelledPrompt> examples,
                                    IntConsumer progress) throws IOException {
        String key = key(modelDir, pooling, examples);
        ObjectNode run = Json.MAPPER.createObjectNode();
        run.put("features_key", key);
        ShardManifest manifest = new ShardManifest(JOB, shard, examples.size(), run);
        manifest.claim(out);
        List<LabelledPrompt> mine = new ArrayList<>();
        for (int p = shard.index(); p < examples.size(); p += shard.count()) mine.add(examples.get(p));
        if (Files.isRegularFile(out)) {
            try (SafetensorsFile f = SafetensorsFile.open(out)) {
                FeatureSet done = read(f, backend.config().numLayers(), backend.config().hiddenSize(), pooling.windows());
                if (key.equals(f.metadata().get(KEY)) && done.ids.equals(mine.stream().map(LabelledPrompt::id).toList())) return;
            }
        }
        extract(backend, pooling, mine, progress).write(out, key);
    }

    /**
     * The features of {@code examples} joined from the outputs of {@link #extractShard} — every shard
     * of one run once ({@link ShardManifest#checkSet}), computed for these very examples, model and
     * pooling (same key), each holding exactly its examples — in example order: the set one unsharded
     * feature pass extracts, written to the cache in {@code cacheDir} (when not null) as that pass would.
     */
    public static Cached fromShards(List<Path> files, Path cacheDir, Path modelDir, int numLayers, int hidden, WindowPooling pooling,
                                    List<LabelledPrompt> examples) throws IOException {
        ShardManifest.Checked set = ShardManifest.checkSet(JOB, files);
        String key = key(modelDir, pooling, examples);
        String theirs = set.run().run().path("features_key").asText();
        if (!key.equals(theirs) || set.run().items() != examples.size()) {
            throw new ShardException(set.files().getFirst(), "features of other labels, data, model or --windows than this run's " + examples.size()
                    + " examples (key " + theirs.substring(0, Math.min(16, theirs.length())) + "…, this run " + key.substring(0, 16) + "…)");
        }
        int n = set.files().size();
        FeatureSet[] parts = new FeatureSet[n];
        for (int i = 0; i < n; i++) {
            Path f = set.files().get(i);
            try (SafetensorsFile sf = SafetensorsFile.open(f)) {
                if (!key.equals(sf.metadata().get(KEY))) throw new ShardException(f, "its features were written for another run than its manifest says");
                parts[i] = read(sf, numLayers, hidden, pooling.windows());
            }
            List<String> expected = new ArrayList<>();
            for (int p = i; p < examples.size(); p += n) expected.add(examples.get(p).id());
            if (!parts[i].ids.equals(expected)) {
                throw new ShardException(f, "holds " + parts[i].size() + " examples, shard " + i + "/" + n + " of this run has " + expected.size()
                        + (parts[i].size() == expected.size() ? " others" : "") + "; rerun the shard");
            }
        }
        List<String> ids = new ArrayList<>(), groups = new ArrayList<>();
        List<float[]> feats = new ArrayList<>();
        int[] windows = new int[examples.size()];
        int[][] labels = new int[examples.size()][];
        for (int p = 0; p < examples.size(); p++) {
            FeatureSet part = parts[p % n];
            int j = p / n;
            ids.add(part.ids.get(j));
            groups.add(part.groups.get(j));
            feats.add(part.features.get(j));
            windows[p] = part.windows[j];
            labels[p] = part.labels[j];
        }
        FeatureSet union = new FeatureSet(numLayers, hidden, pooling.windows(), List.copyOf(ids), List.copyOf(groups), feats, windows, labels);
        // where cached() finds them: a later run with the same labels needs neither the shards nor a feature pass
        Path cache = cacheDir == null ? null : cacheFile(cacheDir, key);
        if (cache != null) union.write(cache, key);
        return new Cached(union, cache);
    }

    void write(Path file, String key) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        w.metadata(KEY, key);
        ArrayNode idArr = Json.MAPPER.createArrayNode();
        ids.forEach(idArr::add);
        ArrayNode grArr = Json.MAPPER.createArrayNode();
        groups.forEach(grArr::add);
        w.metadata("ids", Json.MAPPER.writeValueAsString(idArr));
        w.metadata("groups", Json.MAPPER.writeValueAsString(grArr));
        for (int i = 0; i < size(); i++) {
            w.add("features." + i, DType.F32, new long[]{numLayers, windows[i], hidden}, features.get(i));
            float[] lab = new float[numLayers];
            for (int l = 0; l < numLayers; l++) lab[l] = labels[i][l];
            w.add("labels." + i, DType.F32, new long[]{numLayers}, lab);
        }
        w.write(file);
    }

    static FeatureSet read(SafetensorsFile f, int L, int H, int windowsCap) throws IOException {
        List<String> ids = List.of(Json.MAPPER.readValue(f.metadata().getOrDefault("ids", "[]"), String[].class));
        List<String> groups = List.of(Json.MAPPER.readValue(f.metadata().getOrDefault("groups", "[]"), String[].class));
        if (groups.size() != ids.size()) throw new CheckpointException(f.path(), null, "ids and groups metadata disagree in length");
        List<float[]> feats = new ArrayList<>();
        int[] windows = new int[ids.size()];
        int[][] labels = new int[ids.size()][L];
        for (int i = 0; i < ids.size(); i++) {
            Tensor t = f.get("features." + i);
            if (t.rank() != 3 || t.dim(0) != L || t.dim(2) != H || t.dim(1) < 1) {
                throw new CheckpointException(f.path(), t.name(), "shape " + java.util.Arrays.toString(t.shape()) + " is not [" + L + ", nw, " + H + "]");
            }
            windows[i] = t.dim(1);
            feats.add(t.toFloatArray());
            float[] lab = f.get("labels." + i).requireShape(L).toFloatArray();
            for (int l = 0; l < L; l++) labels[i][l] = (int) lab[l];
        }
        return new FeatureSet(L, H, windowsCap, ids, groups, feats, windows, labels);
    }

    static String key(Path modelDir, WindowPooling pooling, List<LabelledPrompt> examples) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(ModelFingerprint.of(modelDir).getBytes(StandardCharsets.UTF_8));
            md.update((pooling.mode() + ":" + pooling.windows() + ";").getBytes(StandardCharsets.UTF_8));
            for (LabelledPrompt ex : examples) {
                md.update((ex.id() + "|" + ex.group() + "|" + java.util.Arrays.toString(ex.prompt()) + "|"
                        + java.util.Arrays.toString(ex.counts()) + ";").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
