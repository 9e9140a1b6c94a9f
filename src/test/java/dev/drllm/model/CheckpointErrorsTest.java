package dev.drllm.model;

import dev.drllm.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every malformed checkpoint is a {@link CheckpointException} naming the file, the tensor and the fault. */
class CheckpointErrorsTest {
    @TempDir Path tmp;

    interface Edit {
        void apply(Path dir) throws IOException;
    }

    static byte[] raw(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return b.array();
    }

    CheckpointException open(byte[] bytes) throws IOException {
        Path f = tmp.resolve("x.safetensors");
        Files.write(f, bytes);
        return assertThrows(CheckpointException.class, () -> SafetensorsFile.open(f).close());
    }

    static void assertMentions(CheckpointException e, String... parts) {
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' should mention '" + p + "'");
    }

    @Test
    void truncatedBeforeHeaderLength() throws IOException {
        assertMentions(open(new byte[5]), "x.safetensors", "truncated");
    }

    @Test
    void headerLengthPastEndOfFile() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1000);
        assertMentions(open(b.array()), "header length 1000 runs past the end");
    }

    @Test
    void hugeHeaderLength() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-5L);
        assertMentions(open(b.array()), "header length", "invalid");
    }

    @Test
    void headerNotJson() throws IOException {
        assertMentions(open(raw("{not json", 0)), "not valid JSON");
    }

    @Test
    void offsetsOutOfRange() throws IOException {
        CheckpointException e = open(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8));
        assertMentions(e, "'a'", "out of range");
        assertEquals("a", e.tensor());
    }

    @Test
    void negativeOffsets() throws IOException {
        assertMentions(open(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", 8)), "'a'", "invalid data_offsets");
    }

    @Test
    void overlappingOffsets() throws IOException {
        String h = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        assertMentions(open(raw(h, 16)), "overlap");
    }

    @Test
    void sizeDoesNotMatchShape() throws IOException {
        assertMentions(open(raw("{\"a\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8)), "'a'", "does not match");
    }

    @Test
    void unknownDtype() throws IOException {
        assertMentions(open(raw("{\"a\":{\"dtype\":\"Q4\",\"shape\":[1],\"data_offsets\":[0,1]}}", 8)), "'a'", "unknown dtype");
    }

    @Test
    void shapeOverflow() throws IOException {
        assertMentions(open(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,4294967296],\"data_offsets\":[0,1]}}", 8)), "overflows");
    }

    /** A copy of the llama fixture directory, edited. */
    Path modelCopy(String name, Edit edit) throws IOException {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        Path src = Fixtures.hfReference("llama");
        Files.copy(src.resolve("config.json"), dir.resolve("config.json"));
        Files.copy(src.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        edit.apply(dir);
        return dir;
    }

    static void replaceInConfig(Path dir, String from, String to) throws IOException {
        Path c = dir.resolve("config.json");
        String s = Files.readString(c);
        if (!s.contains(from)) throw new AssertionError("config has no " + from);
        Files.writeString(c, s.replace(from, to));
    }

    @Test
    void unknownArchitecture() throws IOException {
        Path d = modelCopy("arch", p -> {
            replaceInConfig(p, "\"model_type\": \"llama\"", "\"model_type\": \"mamba\"");
            replaceInConfig(p, "LlamaForCausalLM", "MambaForCausalLM");
        });
        assertMentions(assertThrows(CheckpointException.class, () -> Model.load(d)), "config.json", "unsupported architecture", "mamba");
    }

    @Test
    void shapeMismatchAgainstConfig() throws IOException {
        Path d = modelCopy("shape", p -> replaceInConfig(p, "\"intermediate_size\": 160", "\"intermediate_size\": 128"));
        assertMentions(assertThrows(CheckpointException.class, () -> Model.load(d)), "model.safetensors", "mlp", "shape mismatch");
    }

    @Test
    void missingTensor() throws IOException {
        Path d = modelCopy("missing", p -> replaceInConfig(p, "\"num_hidden_layers\": 4", "\"num_hidden_layers\": 5"));
        assertMentions(assertThrows(CheckpointException.class, () -> Model.load(d)), "model.layers.4.", "missing tensor");
    }

    /** A config with fewer layers than its checkpoint would run a truncated model without a word. */
    @Test
    void configWithFewerLayersThanTheCheckpoint() throws IOException {
        Path d = modelCopy("fewer", p -> replaceInConfig(p, "\"num_hidden_layers\": 4", "\"num_hidden_layers\": 3"));
        assertMentions(assertThrows(CheckpointException.class, () -> Model.load(d)), "config.json", "num_hidden_layers is 3",
                "layers up to 3", "model.layers.3.");
    }

    @Test
    void untiedWithoutLmHead() throws IOException {
        Path d = modelCopy("untied", p -> replaceInConfig(p, "\"tie_word_embeddings\": true", "\"tie_word_embeddings\": false"));
        assertMentions(assertThrows(CheckpointException.class, () -> Model.load(d)), "lm_head.weight", "missing tensor");
    }

    @Test
    void unsupportedRopeType() throws IOException {
        Path d = modelCopy("rope", p -> replaceInConfig(p, "\"rope_type\": \"llama3\"", "\"rope_type\": \"yarn\""));
        assertMentions(assertThrows(CheckpointException.class, () -> Model.load(d)), "config.json", "unsupported rope type 'yarn'");
    }

    @Test
    void truncatedWeights() throws IOException {
        Path d = modelCopy("trunc", p -> {
            byte[] all = Files.readAllBytes(p.resolve("model.safetensors"));
            Files.write(p.resolve("model.safetensors"), Arrays.copyOf(all, all.length - 100));
        });
        assertMentions(assertThrows(CheckpointException.class, () -> Model.load(d)), "model.safetensors", "out of range");
    }

    @Test
    void noWeightsAtAll() throws IOException {
        Path d = modelCopy("none", p -> Files.delete(p.resolve("model.safetensors")));
        assertMentions(assertThrows(CheckpointException.class, () -> Model.load(d)), "no model.safetensors");
        // a PyTorch-only repository: the message says why its weights are not read
        Path pt = modelCopy("pickle", p -> Files.move(p.resolve("model.safetensors"), p.resolve("pytorch_model.bin")));
        assertMentions(assertThrows(CheckpointException.class, () -> Model.load(pt)), "no model.safetensors", "convert it to safetensors");
    }

    @Test
    void shardIndexPointsToMissingShard() throws IOException {
        Path d = modelCopy("idx", p -> Files.writeString(p.resolve(Checkpoint.INDEX),
                "{\"weight_map\":{\"model.norm.weight\":\"model-00002-of-00002.safetensors\"}}"));
        assertMentions(assertThrows(CheckpointException.class, () -> Model.load(d)), Checkpoint.INDEX, "does not exist");
    }

    @Test
    void shardIndexEscapingDirectory() throws IOException {
        Path d = modelCopy("esc", p -> Files.writeString(p.resolve(Checkpoint.INDEX), "{\"weight_map\":{\"model.norm.weight\":\"../x.safetensors\"}}"));
        assertMentions(assertThrows(CheckpointException.class, () -> Model.load(d)), "leaves the checkpoint directory");
    }

    @Test
    void badConfigValues() throws IOException {
        Path d = modelCopy("cfg", p -> replaceInConfig(p, "\"num_attention_heads\": 4", "\"num_attention_heads\": -4"));
        assertMentions(assertThrows(CheckpointException.class, () -> Model.load(d)), "num_attention_heads", "positive integer");
        Path d2 = modelCopy("cfg2", p -> replaceInConfig(p, "\"num_key_value_heads\": 2", "\"num_key_value_heads\": 3"));
        assertMentions(assertThrows(CheckpointException.class, () -> Model.load(d2)), "not a multiple");
    }

    static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e);
    }
}
