package dev.drllm.train;

import dev.drllm.Fixtures;
import dev.drllm.routing.WindowPooling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The feature cache is keyed by the model's content: a retrained model of the same file sizes gets fresh features. */
class FeatureCacheKeyTest {
    @Test
    void oneChangedWeightByteChangesTheKey(@TempDir Path tmp) throws IOException {
        Path model = tmp.resolve("m");
        Files.createDirectories(model);
        for (String f : List.of("config.json", "model.safetensors")) Files.copy(Fixtures.tinyModel().resolve(f), model.resolve(f));
        List<LabelledPrompt> ex = List.of(new LabelledPrompt("arc/0", "arc", new int[]{1, 2, 3}, new int[16]));
        WindowPooling pooling = WindowPooling.windowed(8);
        String before = FeatureSet.key(model, pooling, ex);
        assertEquals(before, FeatureSet.key(model, pooling, ex));
        // routers beside the model do not change the base's hidden states
        Files.copy(Fixtures.tinyModel().resolve("routers.safetensors"), model.resolve("routers.safetensors"));
        assertEquals(before, FeatureSet.key(model, pooling, ex));
        long size = Files.size(model.resolve("model.safetensors"));
        try (RandomAccessFile f = new RandomAccessFile(model.resolve("model.safetensors").toFile(), "rw")) {
            f.seek(size / 2);   // a weight in the middle of the data: neither the header nor the ends of the file
            int b = f.read();
            f.seek(size / 2);
            f.write(b ^ 1);
        }
        assertEquals(size, Files.size(model.resolve("model.safetensors")));
        assertNotEquals(before, FeatureSet.key(model, pooling, ex));
    }
}
