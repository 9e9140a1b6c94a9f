package dev.drllm.routing;

import dev.drllm.model.Checkpoint;
import dev.drllm.model.CheckpointException;
import dev.drllm.model.DType;
import dev.drllm.model.ModelConfig;
import dev.drllm.model.SafetensorsFile;
import dev.drllm.model.SafetensorsWriter;
import dev.drllm.model.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The routers of every layer of one model, with the window count W they were trained with.
 *
 * <p>On disk: a safetensors file using the reference checkpoint names
 * {@code model.routers.{l}.linear1.weight [R,H]}, {@code .linear1.bias [R]},
 * {@code .linear2.weight [3,R]}, {@code .linear2.bias [3]} (f32 or bf16), and W in the header's
 * {@code __metadata__} under {@value #WINDOWS_KEY}, so routers can never be run with a W other than
 * the one they were trained with. Files without that key (the reference's own checkpoints, which
 * embed the routers in the model's state dict) get W = {@value WindowPooling#DEFAULT_WINDOWS}, the
 * reference default, unless the caller says otherwise. Other tensors in the file are ignored, so a
 * whole checkpoint that contains routers can be read directly.
 */
public final class Routers {
    public static final String PREFIX = "model.routers.";
    public static final String WINDOWS_KEY = "drllm.windows";
    /** The reference router width (Linear(H→128)). */
    public static final int DEFAULT_ROUTER_HIDDEN = 128;
    private static final Pattern NAME = Pattern.compile("model\\.routers\\.(0|[1-9]\\d*)\\.(linear1\\.weight|linear1\\.bias|linear2\\.weight|linear2\\.bias)");

    private final List<Router> routers;
    private final int windows;
    private final boolean windowsStored;

    public Routers(List<Router> routers, int windows, boolean windowsStored) {
        if (routers.isEmpty()) throw new IllegalArgumentException("no routers");
        if (windows < 1) throw new IllegalArgumentException("the window count must be >= 1, got " + windows);
        int H = routers.get(0).hiddenSize();
        for (Router r : routers) {
            if (r.hiddenSize() != H) throw new IllegalArgumentException("routers disagree on the hidden size: " + H + " vs " + r.hiddenSize());
        }
        this.routers = List.copyOf(routers);
        this.windows = windows;
        this.windowsStored = windowsStored;
    }

    public Routers(List<Router> routers, int windows) { this(routers, windows, true); }

    public int numLayers() { return routers.size(); }

    public int hiddenSize() { return routers.get(0).hiddenSize(); }

    public Router get(int layer) { return routers.get(layer); }

    public List<Router> all() { return routers; }

    /** The window count the routers were trained with. */
    public int windows() { return windows; }

    /** Whether W came from the file's metadata (false: the reference default was assumed). */
    public boolean windowsStored() { return windowsStored; }

    /** The reference pooling for these routers. */
    public WindowPooling pooling() { return WindowPooling.windowed(windows); }

    public long parameters() {
        long n = 0;
        for (Router r : routers) n += r.parameters();
        return n;
    }

    // ---------------------------------------------------------------- loading

    /** The file {@code drllm train-routers} saves next to a model, used by default wherever routing is. */
    public static final String DEFAULT_FILE = "routers.safetensors";

    /**
     * Which routers a run on {@code modelDir} uses — the one rule of the API, {@code generate},
     * {@code eval} and {@code demo}: {@code explicit} when given (a file or directory, see
     * {@link #load(Path, ModelConfig, Integer)}; it must exist), else {@code modelDir/}{@value #DEFAULT_FILE}
     * when present, else null (no routers: every layer once).
     */
    public static Path resolve(Path modelDir, Path explicit) {
        if (explicit != null) {
            if (!Files.exists(explicit)) throw new CheckpointException(explicit, null, "routers file not found");
            return explicit;
        }
        Path f = modelDir.resolve(DEFAULT_FILE);
        return Files.isRegularFile(f) ? f : null;
    }

    /** Reads the routers from a safetensors file and checks them against {@code config}. */
    public static Routers load(Path file, ModelConfig config) {
        return load(file, config, null);
    }

    /**
     * As {@link #load(Path, ModelConfig)}; {@code windowsIfAbsent} is the W to assume when the file
     * does not store one (null: the reference default 8).
     */
    public static Routers load(Path file, ModelConfig config, Integer windowsIfAbsent) {
        if (Files.isDirectory(file)) {
            // a model directory next to which drllm train-routers saved its routers.safetensors,
            // else a checkpoint whose own tensors embed them (the reference's format)
            Path saved = file.resolve(DEFAULT_FILE);
            return Files.isRegularFile(saved) ? load(saved, config, windowsIfAbsent) : fromCheckpointDir(file, config, windowsIfAbsent);
        }
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            String w = f.metadata().get(WINDOWS_KEY);
            Integer stored = w == null ? null : parseWindows(file, w);
            return bind(file, f.tensors(), config, stored != null ? stored : defaultWindows(windowsIfAbsent), stored != null);
        }
    }

    /** The routers embedded in a checkpoint directory (the reference saves them with the model). */
    public static Routers fromCheckpointDir(Path dir, ModelConfig config, Integer windowsIfAbsent) {
        try (Checkpoint ck = Checkpoint.open(dir)) {
            return fromCheckpoint(ck, config, windowsIfAbsent);
        }
    }

    /** The routers among the tensors of an open checkpoint. */
    public static Routers fromCheckpoint(Checkpoint ck, ModelConfig config, Integer windowsIfAbsent) {
        return bind(ck.dir(), ck.tensors(), config, defaultWindows(windowsIfAbsent), false);
    }

    /** Whether a checkpoint carries routers. */
    public static boolean present(Checkpoint ck) {
        return ck.tensors().keySet().stream().anyMatch(n -> n.startsWith(PREFIX));
    }

    private static int defaultWindows(Integer w) {
        if (w != null && w < 1) throw new IllegalArgumentException("the window count must be >= 1, got " + w);
        return w == null ? WindowPooling.DEFAULT_WINDOWS : w;
    }

    private static int parseWindows(Path file, String s) {
        int w;
        try {
            w = Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw new CheckpointException(file, null, "__metadata__ '" + WINDOWS_KEY + "' is '" + s + "', not an integer");
        }
        if (w < 1) throw new CheckpointException(file, null, "__metadata__ '" + WINDOWS_KEY + "' is " + w + ", must be >= 1");
        return w;
    }

    static Routers bind(Path file, Map<String, Tensor> tensors, ModelConfig config, int windows, boolean stored) {
        int L = config.numLayers(), H = config.hiddenSize();
        TreeMap<Integer, Integer> seen = new TreeMap<>();
        for (String name : tensors.keySet()) {
            if (!name.startsWith(PREFIX)) continue;
            Matcher m = NAME.matcher(name);
            if (!m.matches()) throw new CheckpointException(file, name, "unexpected router tensor (expected " + PREFIX + "{l}.linear{1,2}.{weight,bias})");
            int l;
            try {
                l = Integer.parseInt(m.group(1));
            } catch (NumberFormatException e) {
                throw new CheckpointException(file, name, "layer index is not a number");
            }
            if (l >= L) {
                throw new CheckpointException(file, name, "router for layer " + l + " but the model has " + L
                        + " layers (routers trained for another model?)");
            }
            seen.merge(l, 1, Integer::sum);
        }
        if (seen.isEmpty()) throw new CheckpointException(file, null, "no router tensors (" + PREFIX + "{l}.*) found");
        List<Router> out = new ArrayList<>(L);
        for (int l = 0; l < L; l++) {
            String p = PREFIX + l + ".";
            Tensor w1 = need(file, tensors, p + "linear1.weight", L, seen);
            if (w1.rank() != 2) throw new CheckpointException(file, w1.name(), "expected rank 2 [R,H], found shape " + java.util.Arrays.toString(w1.shape()));
            if (w1.shape()[1] != H) {
                throw new CheckpointException(file, w1.name(), "router input size " + w1.shape()[1] + " does not match the model's hidden size " + H
                        + " (routers trained for another model?)");
            }
            if (w1.shape()[0] < 1 || w1.shape()[0] > 1 << 16) throw new CheckpointException(file, w1.name(), "implausible router width " + w1.shape()[0]);
            int R = w1.dim(0);
            Tensor b1 = need(file, tensors, p + "linear1.bias", L, seen).requireShape(R);
            Tensor w2 = need(file, tensors, p + "linear2.weight", L, seen).requireShape(Router.CLASSES, R);
            Tensor b2 = need(file, tensors, p + "linear2.bias", L, seen).requireShape(Router.CLASSES);
            out.add(new Router(H, R, finite(w1), finite(b1), finite(w2), finite(b2)));
        }
        return new Routers(out, windows, stored);
    }

    private static Tensor need(Path file, Map<String, Tensor> tensors, String name, int L, TreeMap<Integer, Integer> seen) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new CheckpointException(file, name, "missing tensor: the file has routers for layers " + seen.keySet()
                    + " but the model has " + L + " layers");
        }
        if (t.dtype() != DType.F32 && t.dtype() != DType.BF16 && t.dtype() != DType.F16) {
            throw new CheckpointException(file, name, "unsupported router dtype " + t.dtype() + " (expected F32, BF16 or F16)");
        }
        return t;
    }

    /** NaN or infinite router weights would silently make every decision "skip" (argmax of NaN). */
    private static float[] finite(Tensor t) {
        float[] a = t.toFloatArray();
        for (int i = 0; i < a.length; i++) {
            if (!Float.isFinite(a[i])) throw new CheckpointException(t.file(), t.name(), "non-finite value " + a[i] + " at element " + i);
        }
        return a;
    }

    // ---------------------------------------------------------------- saving

    /** Writes the routers (f32 or bf16) with W in the metadata; atomic (temp file, then move). */
    public void save(Path file, DType dtype) throws IOException {
        if (dtype != DType.F32 && dtype != DType.BF16) throw new IllegalArgumentException("routers are saved as F32 or BF16, not " + dtype);
        SafetensorsWriter w = new SafetensorsWriter();
        w.metadata("format", "pt");
        w.metadata(WINDOWS_KEY, Integer.toString(windows));
        for (int l = 0; l < routers.size(); l++) {
            Router r = routers.get(l);
            String p = PREFIX + l + ".";
            int R = r.routerHidden(), H = r.hiddenSize();
            w.add(p + "linear1.weight", dtype, new long[]{R, H}, r.w1());
            w.add(p + "linear1.bias", dtype, new long[]{R}, r.b1());
            w.add(p + "linear2.weight", dtype, new long[]{Router.CLASSES, R}, r.w2());
            w.add(p + "linear2.bias", dtype, new long[]{Router.CLASSES}, r.b2());
        }
        w.write(file);
    }

    // ---------------------------------------------------------------- initialisation

    /**
     * Fresh routers as the reference initialises them: xavier-uniform weights
     * (U(±√(6/(fan_in+fan_out)))) and zero biases.
     */
    public static Routers xavier(int numLayers, int hiddenSize, int routerHidden, int windows, long seed) {
        Random rnd = new Random(seed);
        List<Router> out = new ArrayList<>(numLayers);
        for (int l = 0; l < numLayers; l++) out.add(Router.xavier(hiddenSize, routerHidden, rnd));
        return new Routers(Collections.unmodifiableList(out), windows);
    }
}
