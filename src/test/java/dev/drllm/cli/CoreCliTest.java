package dev.drllm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.Fixtures;
import dev.drllm.model.SafetensorsFile;
import dev.drllm.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `drllm logits` reproduces the fixture's explicit-path logits; user errors exit 2 with one line. */
class CoreCliTest {
    @TempDir Path tmp;

    @Test
    void logitsOnExplicitPath() throws Exception {
        Path model = Fixtures.hfReference("qwen3");
        Path out = tmp.resolve("l.json");
        long[] ids;
        float[] expected;
        try (SafetensorsFile ref = Fixtures.reference("qwen3")) {
            ids = ref.get("input_ids").toLongArray();
            expected = ref.get("path.mixed.logits").toFloatArray();
        }
        StringBuilder sb = new StringBuilder();
        for (long id : ids) sb.append(sb.isEmpty() ? "" : ",").append(id);
        String path = Fixtures.referenceJson("qwen3").get("paths").get("mixed").toString();
        assertEquals(0, Main.run("logits", "--model", model.toString(), "--ids", sb.toString(), "--path", path, "--out", out.toString()));
        JsonNode j = Json.MAPPER.readTree(out.toFile());
        assertEquals(path.replace(" ", ""), j.get("executed_path").toString());
        int V = j.get("logits").get(0).size();
        float max = 0;
        for (int t = 0; t < ids.length; t++) {
            for (int v = 0; v < V; v++) max = Math.max(max, Math.abs(j.get("logits").get(t).get(v).floatValue() - expected[t * V + v]));
        }
        assertTrue(max <= 1e-4f, "max abs diff " + max);
    }

    @Test
    void generateJson() throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        try {
            assertEquals(0, Main.run("generate", "--model", Fixtures.hfReference("llama").toString(), "--ids", "1,2,3",
                    "--max-new-tokens", "4", "--json"));
        } finally {
            System.setOut(old);
        }
        JsonNode j = Json.MAPPER.readTree(buf.toString());
        assertTrue(j.get("ids").size() >= 1 && j.get("ids").size() <= 4);
        assertEquals("[0,1,2,3]", j.get("executed_path").toString());
        assertTrue(j.has("prefill_ms") && j.has("decode_tokens_per_s"));
    }

    @Test
    void userErrorsExitTwo() {
        assertEquals(2, Main.run("logits", "--model", tmp.toString(), "--ids", "1", "--out", tmp.resolve("x").toString()));
        assertEquals(2, Main.run("logits", "--model", Fixtures.hfReference("llama").toString(), "--ids", "1", "--path", "3,2",
                "--out", tmp.resolve("x").toString()));
        assertEquals(2, Main.run("generate", "--model", Fixtures.hfReference("llama").toString(), "--ids", "1,2", "--device", "tpu"));
    }
}
