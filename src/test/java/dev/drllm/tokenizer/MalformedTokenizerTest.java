package dev.drllm.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.Fixtures;
import dev.drllm.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Broken or unsupported tokenizer.json files fail at load with the file and component named. */
class MalformedTokenizerTest {
    @TempDir Path tmp;

    private Path write(Consumer<ObjectNode> edit) throws IOException {
        ObjectNode root = (ObjectNode) Json.MAPPER.readTree(Fixtures.tinyModel().resolve("tokenizer.json").toFile());
        edit.accept(root);
        Path dir = Files.createTempDirectory(tmp, "tok");
        Files.writeString(dir.resolve("tokenizer.json"), Json.MAPPER.writeValueAsString(root));
        return dir;
    }

    private void assertFails(String component, String problem, Consumer<ObjectNode> edit) throws IOException {
        Path dir = write(edit);
        TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizer.load(dir));
        assertEquals(dir.resolve("tokenizer.json"), e.file());
        assertEquals(component, e.component(), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void modelProblems() throws IOException {
        assertFails("model.type", "unsupported model type 'WordPiece'", r -> ((ObjectNode) r.get("model")).put("type", "WordPiece"));
        assertFails("model.vocab", "missing", r -> ((ObjectNode) r.get("model")).remove("vocab"));
        assertFails("model", "missing", r -> r.remove("model"));
        assertFails("model.vocab", "expected an integer", r -> ((ObjectNode) r.get("model").get("vocab")).put("a", "x"));
        assertFails("model.merges[0]", "'zz' is not in the vocab", r -> ((ArrayNode) r.get("model").get("merges")).insert(0, Json.MAPPER.createArrayNode().add("zz").add("q")));
        assertFails("model.merges[0]", "expected \"left right\" or", r -> ((ArrayNode) r.get("model").get("merges")).insert(0, Json.MAPPER.createArrayNode().add("a")));
        assertFails("model.merges[0]", "expected", r -> ((ArrayNode) r.get("model").get("merges")).insert(0, 7));
        assertFails("model.byte_fallback", "unsupported", r -> ((ObjectNode) r.get("model")).put("byte_fallback", true));
        assertFails("model.continuing_subword_prefix", "unsupported", r -> ((ObjectNode) r.get("model")).put("continuing_subword_prefix", "##"));
        assertFails("model.unk_token", "not in the vocab", r -> ((ObjectNode) r.get("model")).put("unk_token", "<unk>"));
    }

    @Test
    void componentProblems() throws IOException {
        assertFails("normalizer", "unsupported normalizer type 'Precompiled'", r -> r.putObject("normalizer").put("type", "Precompiled"));
        assertFails("pre_tokenizer.pretokenizers[1]", "unsupported pre-tokenizer type 'Metaspace'",
                r -> ((ObjectNode) r.get("pre_tokenizer").get("pretokenizers").get(1)).put("type", "Metaspace"));
        assertFails("pre_tokenizer.pretokenizers[0].pattern.Regex", "does not compile",
                r -> ((ObjectNode) r.get("pre_tokenizer").get("pretokenizers").get(0).get("pattern")).put("Regex", "(unclosed"));
        assertFails("pre_tokenizer.pretokenizers[0].behavior", "unknown split behavior",
                r -> ((ObjectNode) r.get("pre_tokenizer").get("pretokenizers").get(0)).put("behavior", "Sideways"));
        assertFails("decoder", "unsupported decoder type 'WordPiece'", r -> r.putObject("decoder").put("type", "WordPiece"));
        assertFails("post_processor", "unsupported post-processor type 'BertProcessing'", r -> r.putObject("post_processor").put("type", "BertProcessing"));
        assertFails("truncation", "unsupported", r -> r.putObject("truncation").put("max_length", 8));
        assertFails("added_tokens[0].id", "integer", r -> ((ObjectNode) r.get("added_tokens").get(0)).put("id", -3));
        assertFails("pre_tokenizer", "missing 'type'", r -> r.putObject("pre_tokenizer"));
    }

    @Test
    void fileProblems() throws IOException {
        Path missing = tmp.resolve("none");
        assertEquals("not found", assertThrows(TokenizerException.class, () -> Tokenizer.load(missing)).getMessage().replaceAll(".*: ", ""));
        Path dir = Files.createDirectories(tmp.resolve("bad"));
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": ");
        assertTrue(assertThrows(TokenizerException.class, () -> Tokenizer.load(dir)).getMessage().contains("not valid JSON"));
        Files.writeString(dir.resolve("tokenizer.json"), "[]");
        assertThrows(TokenizerException.class, () -> Tokenizer.load(dir));
        Path ok = write(r -> { });
        Files.writeString(ok.resolve("tokenizer_config.json"), "{\"eos_token\": {\"no\": 1}}");
        TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizer.load(ok));
        assertEquals("eos_token", e.component());
        Files.writeString(ok.resolve("tokenizer_config.json"), "{\"eos_token\": \"<|nope|>\"}");
        assertEquals("eos_token", assertThrows(TokenizerException.class, () -> Tokenizer.load(ok).stopTokenIds()).component());
        Files.writeString(ok.resolve("tokenizer_config.json"), "{}");
        assertEquals("chat_template", assertThrows(TokenizerException.class,
                () -> Tokenizer.load(ok).renderChat(java.util.List.of(), true, null)).component());
    }

    /** Fuzz: random byte flips of a valid file either load or raise TokenizerException, never anything else. */
    @Test
    void corruptedFilesFailTyped() throws IOException {
        byte[] good = Files.readAllBytes(Fixtures.tinyModel().resolve("tokenizer.json"));
        Random rnd = new Random(11);
        Path dir = Files.createDirectories(tmp.resolve("fuzz"));
        for (int i = 0; i < 60; i++) {
            byte[] b = good.clone();
            int flips = 1 + rnd.nextInt(4);
            // mostly within the header and components, where structure lives
            for (int k = 0; k < flips; k++) b[rnd.nextInt(Math.min(b.length, 3000))] = (byte) rnd.nextInt(128);
            Files.write(dir.resolve("tokenizer.json"), b);
            try {
                Tokenizer t = Tokenizer.load(dir);
                t.decode(t.encode("Question: What is 2+2?\nAnswer: "), false);
            } catch (TokenizerException expected) {
                // typed: fine
            }
        }
    }

    @Test
    void mergesInEitherFormatGiveTheSameTokenizer() throws IOException {
        // drllm-tiny ships [["a", "b"], …]; the same merges as "a b" strings (older files)
        Path strings = write(r -> {
            ArrayNode out = Json.MAPPER.createArrayNode();
            for (JsonNode e : r.get("model").get("merges")) out.add(e.get(0).asText() + " " + e.get(1).asText());
            ((ObjectNode) r.get("model")).set("merges", out);
        });
        Tokenizer a = Tokenizer.load(Fixtures.tinyModel()), b = Tokenizer.load(strings);
        String text = "Question: What is $119 + 93 - 77$?\nAnswer: \\boxed{";
        assertArrayEquals(a.encode(text), b.encode(text));
    }
}
