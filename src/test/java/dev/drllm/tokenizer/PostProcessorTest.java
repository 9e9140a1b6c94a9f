package dev.drllm.tokenizer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Meta's own Llama-3 tokenizer.json adds {@code <|begin_of_text|>} through a
 * {@code Sequence[ByteLevel, TemplateProcessing]} post-processor (the vendored npm copy has a
 * plain ByteLevel one); this test puts Meta's post-processor back and checks the BOS insertion.
 */
class PostProcessorTest {
    @TempDir Path tmp;

    @Test
    void llama3TemplateProcessingInsertsBos() throws Exception {
        ObjectNode root;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(TokenizerFixtures.resources().resolve("llama3/tokenizer.json.gz")))) {
            root = (ObjectNode) Json.MAPPER.readTree(in);
        }
        root.set("post_processor", Json.MAPPER.readTree("""
                {"type": "Sequence", "processors": [
                  {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": false, "use_regex": true},
                  {"type": "TemplateProcessing",
                   "single": [{"SpecialToken": {"id": "<|begin_of_text|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
                   "pair": [{"SpecialToken": {"id": "<|begin_of_text|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                            {"SpecialToken": {"id": "<|begin_of_text|>", "type_id": 1}}, {"Sequence": {"id": "B", "type_id": 1}}],
                   "special_tokens": {"<|begin_of_text|>": {"id": "<|begin_of_text|>", "ids": [128000], "tokens": ["<|begin_of_text|>"]}}}
                ]}"""));
        Files.writeString(tmp.resolve("tokenizer.json"), Json.MAPPER.writeValueAsString(root));
        Tokenizer t = Tokenizer.load(tmp);
        int[] plain = t.encode("Hello, world!");
        assertArrayEquals(new int[] {9906, 11, 1917, 0}, plain); // the fixture's ids
        int[] withBos = t.encode("Hello, world!", true);
        assertEquals(128000, withBos[0]);
        assertArrayEquals(plain, java.util.Arrays.copyOfRange(withBos, 1, withBos.length));
        assertArrayEquals(new int[] {128000}, t.encode("", true));
        assertEquals("Hello, world!", t.decode(withBos, true));
        assertEquals("<|begin_of_text|>Hello, world!", t.decode(withBos, false));
    }
}
