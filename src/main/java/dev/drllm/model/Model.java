package dev.drllm.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.util.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A loaded model: a Hugging Face checkpoint directory (config, memory-mapped safetensors, stop
 * tokens from {@code generation_config.json}, falling back to {@code config.json}) or a GGUF file
 * ({@link dev.drllm.gguf.GgufModel}). Closing unmaps.
 */
public final class Model implements AutoCloseable {
    private final Path dir;
    private final ModelConfig config;
    private final AutoCloseable storage;
    private final ModelWeights weights;
    private final Set<Integer> stopTokens;

    private Model(Path dir, ModelConfig config, AutoCloseable storage, ModelWeights weights, Set<Integer> stopTokens) {
        this.dir = dir;
        this.config = config;
        this.storage = storage;
        this.weights = weights;
        this.stopTokens = stopTokens;
    }

    /**
     * The one check (and message) for a model path that is not there, also used before a command's
     * other inputs: a checkpoint directory, or a GGUF file (a regular file starting with the GGUF magic).
     */
    public static void requireDirectory(Path dir) {
        if (Files.isRegularFile(dir) && dev.drllm.gguf.GgufFile.isGguf(dir)) return;
        if (Files.isRegularFile(dir)) throw new CheckpointException(dir, null, "not a directory (and not a GGUF file)");
        if (!Files.isDirectory(dir)) throw new CheckpointException(dir, null, "not a directory");
    }

    /** The config of a checkpoint directory (config.json) or of a GGUF file (its metadata), without mapping the weights. */
    public static ModelConfig loadConfig(Path path) {
        requireDirectory(path);
        if (Files.isRegularFile(path)) {
            try (dev.drllm.gguf.GgufFile g = dev.drllm.gguf.GgufFile.open(path)) {
                return dev.drllm.gguf.GgufModel.config(g);
            }
        }
        return ModelConfig.load(path.resolve("config.json"));
    }

    /** Loads a checkpoint directory, or a GGUF file ({@link dev.drllm.gguf.GgufModel}). */
    public static Model load(Path dir) {
        requireDirectory(dir);
        if (Files.isRegularFile(dir)) return dev.drllm.gguf.GgufModel.load(dir);
        ModelConfig config = ModelConfig.load(dir.resolve("config.json"));
        Checkpoint ck = Checkpoint.open(dir);
        try {
            ModelWeights w = ModelWeights.bind(config, ck);
            return new Model(dir, config, ck, w, readStopTokens(dir, config));
        } catch (RuntimeException e) {
            ck.close();
            throw e;
        }
    }

    private static Set<Integer> readStopTokens(Path dir, ModelConfig config) {
        Set<Integer> stops = new LinkedHashSet<>();
        Path gen = dir.resolve("generation_config.json");
        if (Files.isRegularFile(gen)) {
            try {
                JsonNode root = Json.MAPPER.readTree(Files.readAllBytes(gen));
                if (root != null && root.isObject()) stops.addAll(ModelConfig.ids(root.get("eos_token_id")));
            } catch (IOException e) {
                throw new CheckpointException(gen, null, "not valid JSON: " + Json.problem(e), e);
            }
        }
        if (stops.isEmpty()) stops.addAll(config.eosTokenIds());
        return Set.copyOf(stops);
    }

    /** The checkpoint directory, or the GGUF file. */
    public Path dir() { return dir; }

    /**
     * The model's name as drllm's outputs record it (MCTS records, a GGUF export's
     * {@code general.name}): the directory's name, or the GGUF file's name without {@code .gguf}.
     */
    public String name() {
        Path p = dir.getFileName() == null || dir.getFileName().toString().equals(".") ? dir.toAbsolutePath().normalize() : dir;
        String n = p.getFileName() == null ? p.toString() : p.getFileName().toString();
        return isFile() && n.toLowerCase(java.util.Locale.ROOT).endsWith(".gguf") ? n.substring(0, n.length() - ".gguf".length()) : n;
    }

    public ModelConfig config() { return config; }

    /**
     * A model over weights another loader mapped ({@code storage} is closed with the model).
     * {@code path} is what the user named: a directory or a file.
     */
    public static Model of(Path path, ModelConfig config, AutoCloseable storage, ModelWeights weights, Set<Integer> stopTokens) {
        return new Model(path, config, storage, weights, Set.copyOf(stopTokens));
    }

    /** Whether the model was loaded from a single file (GGUF) rather than a checkpoint directory. */
    public boolean isFile() { return Files.isRegularFile(dir); }

    public ModelWeights weights() { return weights; }

    /** Stop tokens from generation_config.json, or config.json's eos_token_id. */
    public Set<Integer> stopTokens() { return stopTokens; }

    @Override
    public void close() {
        try {
            storage.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing " + dir + ": " + e.getMessage(), e);
        }
    }
}
