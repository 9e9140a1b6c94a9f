package dev.drllm.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.util.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The tensors of a Hugging Face checkpoint directory: a single {@code model.safetensors}, or the
 * shards listed by {@code model.safetensors.index.json}. All files stay memory-mapped until close.
 */
public final class Checkpoint implements AutoCloseable {
    public static final String INDEX = "model.safetensors.index.json";
    public static final String SINGLE = "model.safetensors";

    private final Path dir;
    private final List<SafetensorsFile> files;
    private final Map<String, Tensor> tensors;

    private Checkpoint(Path dir, List<SafetensorsFile> files, Map<String, Tensor> tensors) {
        this.dir = dir;
        this.files = files;
        this.tensors = tensors;
    }

    public static Checkpoint open(Path dir) {
        Path index = dir.resolve(INDEX);
        List<SafetensorsFile> files = new ArrayList<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        try {
            if (Files.isRegularFile(index)) {
                Map<String, String> weightMap = readIndex(index);
                Map<String, SafetensorsFile> byShard = new LinkedHashMap<>();
                for (Map.Entry<String, String> e : weightMap.entrySet()) {
                    String shard = e.getValue();
                    Path shardPath = dir.resolve(shard).normalize();
                    if (!shardPath.startsWith(dir.normalize()) || shard.contains("/") || shard.contains("\\")) {
                        throw new CheckpointException(index, e.getKey(), "shard name '" + shard + "' leaves the checkpoint directory");
                    }
                    SafetensorsFile f = byShard.get(shard);
                    if (f == null) {
                        if (!Files.isRegularFile(shardPath)) {
                            throw new CheckpointException(index, e.getKey(), "listed shard '" + shard + "' does not exist");
                        }
                        f = SafetensorsFile.open(shardPath);
                        byShard.put(shard, f);
                        files.add(f);
                    }
                    if (!f.has(e.getKey())) {
                        throw new CheckpointException(shardPath, e.getKey(), "missing tensor (the index places it in this shard)");
                    }
                    tensors.put(e.getKey(), f.get(e.getKey()));
                }
            } else if (Files.isRegularFile(dir.resolve(SINGLE))) {
                SafetensorsFile f = SafetensorsFile.open(dir.resolve(SINGLE));
                files.add(f);
                tensors.putAll(f.tensors());
            } else {
                List<Path> any;
                try (Stream<Path> s = Files.list(dir)) {
                    any = s.filter(p -> p.getFileName().toString().endsWith(".safetensors"))
                            .filter(p -> !p.getFileName().toString().startsWith("routers"))
                            .sorted().toList();
                } catch (IOException e) {
                    throw new CheckpointException(dir, null, "cannot list directory: " + e.getMessage(), e);
                }
                if (any.isEmpty()) {
                    // older Hub repositories ship only PyTorch pickles, which drllm does not read (they can run code)
                    boolean pickles = Files.isRegularFile(dir.resolve("pytorch_model.bin")) || Files.isRegularFile(dir.resolve("pytorch_model.bin.index.json"));
                    throw new CheckpointException(dir, null, "no " + SINGLE + " or " + INDEX + " in the checkpoint directory"
                            + (pickles ? " (pytorch_model.bin is not read: convert it to safetensors, e.g. save_pretrained(dir, safe_serialization=True))" : ""));
                }
                for (Path p : any) {
                    SafetensorsFile f = SafetensorsFile.open(p);
                    files.add(f);
                    for (Map.Entry<String, Tensor> t : f.tensors().entrySet()) {
                        if (tensors.putIfAbsent(t.getKey(), t.getValue()) != null) {
                            throw new CheckpointException(p, t.getKey(), "tensor appears in more than one shard");
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            files.forEach(SafetensorsFile::close);
            throw e;
        }
        return new Checkpoint(dir, files, tensors);
    }

    private static Map<String, String> readIndex(Path index) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(index.toFile());
        } catch (IOException e) {
            throw new CheckpointException(index, null, "not valid JSON: " + Json.problem(e), e);
        }
        JsonNode wm = root == null ? null : root.get("weight_map");
        if (wm == null || !wm.isObject()) throw new CheckpointException(index, null, "missing 'weight_map' object");
        Map<String, String> out = new LinkedHashMap<>();
        wm.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) throw new CheckpointException(index, e.getKey(), "weight_map value is not a file name");
            out.put(e.getKey(), e.getValue().asText());
        });
        return out;
    }

    public Path dir() { return dir; }

    public Map<String, Tensor> tensors() { return tensors; }

    public boolean has(String name) { return tensors.containsKey(name); }

    /** The tensor, or a typed error naming the checkpoint and the missing tensor. */
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            Path where = files.size() == 1 ? files.get(0).path() : dir;
            throw new CheckpointException(where, name, "missing tensor");
        }
        return t;
    }

    @Override
    public void close() {
        files.forEach(SafetensorsFile::close);
    }
}
