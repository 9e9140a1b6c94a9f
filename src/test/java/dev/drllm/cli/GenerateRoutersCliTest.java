package dev.drllm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.Fixtures;
import dev.drllm.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@code generate} uses the model's own routers.safetensors like eval, demo and the API, says so, and runs without them on request. */
class GenerateRoutersCliTest {
    @TempDir Path tmp;

    record Run(int code, String out, String err) {
        JsonNode json() throws Exception {
            assertEquals(0, code, err);
            return Json.MAPPER.readTree(out);
        }
    }

    static Run run(Path model, String... more) {
        List<String> args = new ArrayList<>(List.of("generate", "--model", model.toString(), "--prompt", "Question: What is $1 + 7$?\nAnswer: \\boxed{",
                "--max-new-tokens", "6", "--json"));
        args.addAll(List.of(more));
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args.toArray(String[]::new));
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** The tiny model's files without its routers. */
    Path withoutRouters() throws Exception {
        Path dir = tmp.resolve("bare");
        if (Files.isDirectory(dir)) return dir;
        Files.createDirectories(dir);
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "generation_config.json")) {
            Files.copy(Fixtures.tinyModel().resolve(f), dir.resolve(f));
        }
        return dir;
    }

    @Test
    void defaultRoutersAreUsedAndNamed() throws Exception {
        Path tiny = Fixtures.tinyModel(), routers = tiny.resolve("routers.safetensors");
        Run byDefault = run(tiny);
        JsonNode d = byDefault.json();
        assertTrue(d.has("decision_logits") && d.get("decisions").size() == 16, "routed by the model's routers: " + d);
        assertTrue(byDefault.err().contains("drllm generate: routers " + routers + " (the model's own"), byDefault.err());
        Run explicit = run(tiny, "--routers", routers.toString());
        assertEquals(d.get("ids"), explicit.json().get("ids"));
        assertEquals(d.get("decisions"), explicit.json().get("decisions"));
        assertTrue(explicit.err().contains("drllm generate: routers " + routers + "\n"), explicit.err());
        // tuning options apply to the default routers too
        assertEquals(0, run(tiny, "--route-bias", "skip=-2").code());

        // the base model, bit for bit: --static-routing loads no routers; a model without routers runs every layer once
        Run base = run(withoutRouters());
        assertFalse(base.json().has("decisions"));
        assertEquals(16, base.json().get("executed_path").size());
        assertTrue(base.err().contains("drllm generate: no routers (every layer once)"), base.err());
        Run off = run(tiny, "--static-routing");
        assertEquals(base.json().get("ids"), off.json().get("ids"));
        assertFalse(off.json().has("decision_logits"), "no routers were loaded");
        // nothing was routed, so there are no routing fields to report
        for (String f : List.of("decisions", "layers_saved", "routing_ms", "windows", "capped")) assertFalse(off.json().has(f), f + " in " + off.json());
        // why the generation ended: 6 new tokens without a stop token, or the model's stop token
        assertTrue(List.of("max_tokens", "stop_token").contains(base.json().get("stop_reason").asText()), base.json().toString());
        assertEquals(off.json().get("stop_reason"), base.json().get("stop_reason"));
        assertTrue(off.err().contains("no routers (every layer once)"), off.err());
        Run fixed = run(tiny, "--path", "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15");
        assertEquals(base.json().get("ids"), fixed.json().get("ids"));
        assertTrue(fixed.err().contains("no routers (--path fixes the layers)"), fixed.err());

        Run untuned = run(withoutRouters(), "--route-bias", "skip=1");
        assertEquals(2, untuned.code());
        assertTrue(untuned.err().contains("need routers"), untuned.err());
        Run missing = run(tiny, "--routers", tmp.resolve("none.safetensors").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("none.safetensors: routers file not found"), missing.err());
    }
}
