package dev.drllm.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.util.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A loaded Hugging Face checkpoint directory: config, memory-mapped weights and the stop tokens
 * from {@code generation_config.json} (falling back to {@code config.json}). Closing unmaps.
 */
public final class Model implements AutoCloseable {
    private final Path dir;
    private final ModelConfig config;
    private final Checkpoint checkpoint;
    private final ModelWeights weights;
    private final Set<Integer> stopTokens;

    private Model(Path dir, ModelConfig config, Checkpoint checkpoint, ModelWeights weights, Set<Integer> stopTokens) {
        this.dir = dir;
        this.config = config;
        this.checkpoint = checkpoint;
        this.weights = weights;
        this.stopTokens = stopTokens;
    }

    /** The one check (and message) for a model directory that is not there, also used before a command's other inputs. */
    public static void requireDirectory(Path dir) {
        if (!Files.isDirectory(dir)) throw new CheckpointException(dir, null, "not a directory");
    }

    public static Model load(Path dir) {
        requireDirectory(dir);
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

    public Path dir() { return dir; }

    public ModelConfig config() { return config; }

    public Checkpoint checkpoint() { return checkpoint; }

    public ModelWeights weights() { return weights; }

    /** Stop tokens from generation_config.json, or config.json's eos_token_id. */
    public Set<Integer> stopTokens() { return stopTokens; }

    @Override
    public void close() { checkpoint.close(); }
}
