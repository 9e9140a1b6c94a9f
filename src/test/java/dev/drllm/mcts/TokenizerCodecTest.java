package dev.drllm.mcts;

import dev.drllm.Fixtures;
import dev.drllm.eval.Prompts;
import dev.drllm.eval.Question;
import dev.drllm.eval.Task;
import dev.drllm.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.*;

/** Prompt styles: base prompts for the tiny model, the chat template with the reference instruct prompts for Qwen3. */
class TokenizerCodecTest {
    @TempDir Path tmp;

    private Path qwen3() throws IOException {
        Path src = Fixtures.projectDir().resolve("src/test/resources/tokenizers/qwen3");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(src.resolve("tokenizer.json.gz")))) {
            Files.copy(in, tmp.resolve("tokenizer.json"));
        }
        Files.copy(src.resolve("tokenizer_config.json"), tmp.resolve("tokenizer_config.json"));
        return tmp;
    }

    @Test
    void baseStyleForTheTinyModel() {
        Path tiny = Fixtures.tinyModel();
        assertEquals(Prompts.Style.BASE, TokenizerCodec.style(tiny, "auto"));
        TokenizerCodec c = new TokenizerCodec(Tokenizer.load(tiny), Prompts.Style.BASE);
        Question dart = new Question(Task.DART, 0, "d", "What is $1 + 3$?", List.of(), "4", 1);
        assertEquals(Prompts.base(dart), c.decode(c.prompt(dart)));
        assertTrue(c.promptEndsInBox(dart));
        assertThrows(IllegalArgumentException.class, () -> TokenizerCodec.style(tiny, "chat"));
    }

    @Test
    void instructStyleRendersTheChatTemplate() throws IOException {
        Path dir = qwen3();
        assertEquals(Prompts.Style.INSTRUCT, TokenizerCodec.style(dir, "auto"));
        Tokenizer tok = Tokenizer.load(dir);
        TokenizerCodec c = new TokenizerCodec(tok, Prompts.Style.INSTRUCT);
        Question arc = new Question(Task.ARC, 0, "a", "Which is largest?", List.of("1", "5", "3", "2"), "B", 0);
        String text = tok.decode(c.prompt(arc), false);
        assertEquals("<|im_start|>user\n" + Prompts.instruct(arc) + "<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n", text,
                "Qwen3's template with enable_thinking=false");
        assertTrue(Prompts.instruct(arc).contains("\nA. 1\nB. 5\nC. 3\nD. 2\nAnswer with a single letter (A, B, C, or D)"));
        Question dart = new Question(Task.DART, 0, "d", "What is $1 + 3$?", List.of(), "4", 1);
        assertFalse(c.promptEndsInBox(dart));
        assertTrue(tok.decode(c.prompt(dart), false).contains("The final answer MUST BE put in \\boxed{} and no explanation."));
    }
}
