package dev.drllm.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.drllm.model.CheckpointException;
import dev.drllm.model.SafetensorsFile;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

class SafetensorsFuzzTest {
    @FuzzTest(maxDuration = "5s")
    void header(byte[] data) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(Math.max(1, data.length));
            MemorySegment.copy(data, 0, seg, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, data.length);
            SafetensorsFile.parse(Path.of("fuzz.safetensors"), seg.asSlice(0, data.length), arena);
        } catch (CheckpointException expected) {
        }
    }
}
