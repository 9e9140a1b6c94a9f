package dev.drllm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.Fixtures;
import dev.drllm.api.DrLlm;
import dev.drllm.api.GenerateRequest;
import dev.drllm.api.LoadOptions;
import dev.drllm.util.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GGUF files wherever a model is taken: `drllm quantize`, then generate / tokenize / the API on the file, and `--quantize` at load. */
class GgufCliTest {
    @TempDir
    static Path tmp;
    static Path q8;

    @BeforeAll
    static void quantizeTiny() {
        q8 = tmp.resolve("tiny.q8_0.gguf");
        assertEquals(0, Main.run("quantize", "--model", Fixtures.tinyModel().toString(), "--type", "q8_0", "--out", q8.toString(), "--quiet"));
        assertTrue(Files.isRegularFile(q8));
    }

    static String out(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        try {
            assertEquals(0, Main.run(args), String.join(" ", args));
        } finally {
            System.setOut(old);
        }
        return buf.toString();
    }

    @Test
    void generateFromTheGgufFileWithItsOwnTokenizer() throws Exception {
        String prompt = "Question: What is 2 + 3?\nAnswer:";
        JsonNode gguf = Json.MAPPER.readTree(out("generate", "--model", q8.toString(), "--prompt", prompt, "--max-new-tokens", "6", "--json"));
        JsonNode atLoad = Json.MAPPER.readTree(out("generate", "--model", Fixtures.tinyModel().toString(), "--quantize", "q8_0", "--prompt", prompt,
                "--max-new-tokens", "6", "--json"));
        assertTrue(gguf.get("ids").size() > 0);
        // the same Q8_0 weights either way (RoPE frequencies differ in the last bits: f32 in GGUF, bf16-rounded from the bf16 checkpoint)
        assertEquals(atLoad.get("ids").get(0), gguf.get("ids").get(0));
        assertEquals(out("tokenize", "--tokenizer", Fixtures.tinyModel().toString(), "--text", prompt),
                out("tokenize", "--tokenizer", q8.toString(), "--text", prompt));
    }

    @Test
    void apiLoadsGgufAndQuantizesAtLoad() {
        try (DrLlm llm = DrLlm.load(q8, LoadOptions.defaults().withThreads(2))) {
            var r = llm.generate(GenerateRequest.ofText("Question: What is 1 + 1?\nAnswer:").withMaxNewTokens(4));
            assertTrue(r.ids().length > 0);
        }
        try (DrLlm llm = DrLlm.load(Fixtures.tinyModel(), LoadOptions.defaults().withThreads(2).withQuantize("q4_0"))) {
            var r = llm.generate(GenerateRequest.ofText("Question: What is 1 + 1?\nAnswer:").withMaxNewTokens(4));
            assertTrue(r.ids().length > 0);
        }
    }

    @Test
    void llamaCppFixtureRunsFromTheCli() throws Exception {
        Path f = Fixtures.projectDir().resolve("src/test/resources/fixtures/gguf/qwen3.q4_k_m.gguf");
        JsonNode j = Json.MAPPER.readTree(out("generate", "--model", f.toString(), "--ids", "5,6,7", "--max-new-tokens", "3", "--json"));
        assertEquals(3, j.get("ids").size());
    }

    /** A resumable job on a GGUF file: eval writes its report; the progress header carries the file's fingerprint. */
    @Test
    void evalOnTheGgufFile() throws Exception {
        Path out = tmp.resolve("eval-q8");
        assertEquals(0, Main.run("eval", "--model", q8.toString(), "--routers", Fixtures.tinyModel().resolve("routers.safetensors").toString(),
                "--task", "arc", "--data", Fixtures.projectDir().resolve("data/tasks/arc-test.jsonl").toString(), "--limit", "3",
                "--out-dir", out.toString(), "--quiet"));
        assertTrue(Files.isRegularFile(out.resolve("arc-test.md")));
        String a = dev.drllm.model.ModelFingerprint.of(q8);
        assertEquals(32, a.length());
        assertNotEquals(a, dev.drllm.model.ModelFingerprint.of(Fixtures.tinyModel()));
    }

    @Test
    void userErrors() {
        assertEquals(2, Main.run("quantize", "--model", Fixtures.tinyModel().toString(), "--type", "q3_k", "--out", tmp.resolve("x.gguf").toString()));
        assertEquals(2, Main.run("generate", "--model", Fixtures.tinyModel().toString(), "--quantize", "q2", "--ids", "1"));
        assertNotEquals(0, Main.run("generate", "--model", q8.toString(), "--device", "cuda", "--ids", "1"));
    }
}
