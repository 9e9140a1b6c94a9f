package dev.drllm.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.drllm.model.CheckpointException;
import dev.drllm.model.ModelConfig;
import dev.drllm.util.Json;

import java.nio.file.Path;

class ConfigFuzzTest {
    @FuzzTest(maxDuration = "5s")
    void config(byte[] data) {
        try {
            ModelConfig.parse(Path.of("config.json"), Json.MAPPER.readTree(data));
        } catch (CheckpointException | java.io.IOException expected) {
        }
    }
}
