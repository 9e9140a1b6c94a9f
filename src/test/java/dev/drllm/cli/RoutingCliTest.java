package dev.drllm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.Fixtures;
import dev.drllm.model.DType;
import dev.drllm.model.ModelConfig;
import dev.drllm.model.SafetensorsFile;
import dev.drllm.routing.Routers;
import dev.drllm.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `drllm logits|generate --routers`: the reference decisions, path and logits; option errors exit 2. */
class RoutingCliTest {
    @TempDir Path tmp;

    static String ids(String name) {
        try (SafetensorsFile ref = Fixtures.reference(name)) {
            StringBuilder sb = new StringBuilder();
            for (long id : ref.get("input_ids").toLongArray()) sb.append(sb.isEmpty() ? "" : ",").append(id);
            return sb.toString();
        }
    }

    JsonNode logits(String name, String... extra) throws Exception {
        Path out = tmp.resolve(name + "-" + System.nanoTime() + ".json");
        String[] base = {"logits", "--model", Fixtures.hfReference(name).toString(), "--ids", ids(name), "--out", out.toString()};
        String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        assertEquals(0, Main.run(args));
        return Json.MAPPER.readTree(out.toFile());
    }

    static float maxDiff(JsonNode rows, float[] expected) {
        int cols = rows.get(0).size();
        float m = 0;
        for (int t = 0; t < rows.size(); t++) {
            for (int v = 0; v < cols; v++) m = Math.max(m, Math.abs(rows.get(t).get(v).floatValue() - expected[t * cols + v]));
        }
        return m;
    }

    /** The reference's routers are in reference.safetensors (no stored W: the reference default 8 applies). */
    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2", "qwen3"})
    void logitsWithReferenceRouters(String name) throws Exception {
        Path routers = Fixtures.hfReference(name).resolve("reference.safetensors");
        JsonNode j = logits(name, "--routers", routers.toString(), "--windows", "8");
        assertEquals(Fixtures.referenceJson(name).get("paths").get("router_executed_path").toString(), j.get("executed_path").toString());
        try (SafetensorsFile ref = Fixtures.reference(name)) {
            // 1e-4: the engine's f32 tolerance against the transformers reference (DESIGN.md §5)
            assertTrue(maxDiff(j.get("decision_logits"), ref.get("router.decision_logits").toFloatArray()) <= 1e-4f);
            assertTrue(maxDiff(j.get("logits"), ref.get("router.logits").toFloatArray()) <= 1e-4f);
        }
        assertEquals(4, j.get("decisions").size());
        int len = j.get("executed_path").size();
        assertEquals(4 - len, j.get("layers_saved").asInt());
    }

    /** The reference saves routers inside the model's state dict: one checkpoint serves as --model and --routers. */
    @Test
    void routersEmbeddedInTheModelCheckpoint() throws Exception {
        Path dir = java.nio.file.Files.createDirectories(tmp.resolve("with-routers"));
        java.nio.file.Files.copy(Fixtures.hfReference("qwen3").resolve("config.json"), dir.resolve("config.json"));
        dev.drllm.model.SafetensorsWriter w = new dev.drllm.model.SafetensorsWriter();
        try (SafetensorsFile model = SafetensorsFile.open(Fixtures.hfReference("qwen3").resolve("model.safetensors"));
             SafetensorsFile ref = Fixtures.reference("qwen3")) {
            for (var t : model.tensors().values()) w.add(t.name(), t.dtype(), t.shape(), t.toFloatArray());
            for (var t : ref.tensors().values()) {
                if (t.name().startsWith(Routers.PREFIX)) w.add(t.name(), t.dtype(), t.shape(), t.toFloatArray());
            }
            w.write(dir.resolve("model.safetensors"));
        }
        Path out = tmp.resolve("embedded.json");
        assertEquals(0, Main.run("logits", "--model", dir.toString(), "--ids", ids("qwen3"), "--routers", dir.toString(), "--out", out.toString()));
        JsonNode j = Json.MAPPER.readTree(out.toFile());
        assertEquals(4, j.get("decisions").size());
        assertEquals(4, j.get("decision_logits").size());
        assertEquals(Fixtures.referenceJson("qwen3").get("paths").get("router_executed_path").toString(), j.get("executed_path").toString());
    }

    /** What drllm train-routers writes: routers.safetensors next to the model; the directory is enough for --routers. */
    @Test
    void routersFileInsideTheDirectory() throws Exception {
        Path dir = java.nio.file.Files.createDirectories(tmp.resolve("routers-beside"));
        dev.drllm.model.SafetensorsWriter w = new dev.drllm.model.SafetensorsWriter();
        try (SafetensorsFile ref = Fixtures.reference("qwen3")) {
            for (var t : ref.tensors().values()) {
                if (t.name().startsWith(Routers.PREFIX)) w.add(t.name(), t.dtype(), t.shape(), t.toFloatArray());
            }
            w.write(dir.resolve("routers.safetensors"));
        }
        Path out = tmp.resolve("beside.json");
        assertEquals(0, Main.run("logits", "--model", Fixtures.hfReference("qwen3").toString(), "--ids", ids("qwen3"),
                "--routers", dir.toString(), "--out", out.toString()));
        JsonNode j = Json.MAPPER.readTree(out.toFile());
        assertEquals(Fixtures.referenceJson("qwen3").get("paths").get("router_executed_path").toString(), j.get("executed_path").toString());
    }

    @Test
    void staticCapAndBias() throws Exception {
        Path routers = Fixtures.hfReference("qwen2").resolve("reference.safetensors");
        JsonNode st = logits("qwen2", "--routers", routers.toString(), "--static-routing");
        assertEquals("[0,1,2,3]", st.get("executed_path").toString());
        try (SafetensorsFile ref = Fixtures.reference("qwen2")) {
            assertTrue(maxDiff(st.get("logits"), ref.get("logits").toFloatArray()) <= 1e-4f);
        }
        assertEquals(4, st.get("decision_logits").size());
        JsonNode capped = logits("qwen2", "--routers", routers.toString(), "--max-path", "2");
        assertTrue(capped.get("executed_path").size() <= 2);
        JsonNode skipAll = logits("qwen2", "--routers", routers.toString(), "--route-bias", "skip=1000");
        assertEquals("[]", skipAll.get("executed_path").toString());
        assertEquals("[0,0,0,0]", skipAll.get("decisions").toString());
        JsonNode noRepeat = logits("qwen2", "--routers", routers.toString(), "--route-bias", "repeat=-1000");
        for (JsonNode d : noRepeat.get("decisions")) assertTrue(d.asInt() <= 1);
    }

    @Test
    void generateReportsDecisions() throws Exception {
        Path routers = Fixtures.hfReference("llama").resolve("reference.safetensors");
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        try {
            assertEquals(0, Main.run("generate", "--model", Fixtures.hfReference("llama").toString(), "--ids", ids("llama"),
                    "--max-new-tokens", "3", "--json", "--routers", routers.toString()));
        } finally {
            System.setOut(old);
        }
        JsonNode j = Json.MAPPER.readTree(buf.toString());
        assertEquals(Fixtures.referenceJson("llama").get("paths").get("router_executed_path").toString(), j.get("executed_path").toString());
        assertEquals(4, j.get("decisions").size());
        assertEquals(4, j.get("decision_logits").size());
        assertTrue(j.has("routing_ms") && j.has("layers_saved"));
    }

    @Test
    void optionErrorsExitTwo() throws Exception {
        String model = Fixtures.hfReference("llama").toString();
        String ref = Fixtures.hfReference("llama").resolve("reference.safetensors").toString();
        String out = tmp.resolve("x.json").toString();
        ModelConfig c = ModelConfig.load(Fixtures.hfReference("llama").resolve("config.json"));
        Path w8 = tmp.resolve("w8.safetensors");
        Routers.xavier(c.numLayers(), c.hiddenSize(), 16, 8, 1).save(w8, DType.F32);
        Path wrongH = tmp.resolve("h.safetensors");
        Routers.xavier(c.numLayers(), c.hiddenSize() * 2, 16, 8, 1).save(wrongH, DType.F32);
        String[][] bad = {
                {"--route-bias", "skip=1"},
                {"--max-path", "3"},
                {"--windows", "8"},
                {"--routers", ref, "--path", "0,1"},
                {"--routers", ref, "--route-bias", "skip=x"},
                {"--routers", ref, "--route-bias", "jump=1"},
                {"--routers", ref, "--max-path", "-1"},
                {"--routers", ref, "--windows", "0"},
                {"--routers", ref, "--pooling", "max"},
                {"--routers", ref, "--static-routing", "--max-path", "2"},
                {"--routers", w8.toString(), "--windows", "4"},
                {"--routers", wrongH.toString()},
                {"--routers", tmp.resolve("missing.safetensors").toString()},
                {"--routers", model + "/config.json"},
        };
        for (String[] extra : bad) {
            String[] base = {"logits", "--model", model, "--ids", "1,2,3", "--out", out};
            String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
            System.arraycopy(extra, 0, args, base.length, extra.length);
            assertEquals(2, Main.run(args), String.join(" ", extra));
        }
        // a stored W that matches is fine
        assertEquals(0, Main.run("logits", "--model", model, "--ids", "1,2,3", "--out", out, "--routers", w8.toString(), "--windows", "8"));
    }
}
