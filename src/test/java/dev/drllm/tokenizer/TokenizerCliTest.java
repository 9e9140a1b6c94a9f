package dev.drllm.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.Fixtures;
import dev.drllm.cli.Main;
import dev.drllm.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `drllm tokenize`, `detokenize`, `render-chat` and `generate --prompt`; user errors exit 2 with one line. */
class TokenizerCliTest {
    @TempDir Path tmp;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void tokenizeAndDetokenize() throws Exception {
        String qwen = TokenizerFixtures.dir("qwen3").toString();
        Run r = run("tokenize", "--tokenizer", qwen, "--text", "Hello, world!", "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals("[9707,11,1879,0]", Json.MAPPER.readTree(r.out()).get("ids").toString());
        // the small tokenizer from here on: loading the 11 MB Qwen3 file per command would dominate
        String tiny = Fixtures.tinyModel().toString();
        Tokenizer t = Tokenizer.load(Fixtures.tinyModel());
        String ids = run("tokenize", "--tokenizer", tiny, "--text", "Answer: 42<|endoftext|>").out().strip();
        assertEquals(java.util.Arrays.stream(t.encode("Answer: 42<|endoftext|>")).mapToObj(Integer::toString)
                .collect(java.util.stream.Collectors.joining(",")), ids);
        Path f = tmp.resolve("t.txt");
        Files.write(f, new byte[] {'a', (byte) 0xFF, 'b'}); // invalid UTF-8 is refused at its offset, never read as U+FFFD
        for (String[] cmd : new String[][]{{"tokenize", "--tokenizer", tiny, "--text-file", f.toString(), "--json"},
                {"generate", "--model", tiny, "--prompt-file", f.toString()}}) {
            Run bad = run(cmd);
            assertEquals(2, bad.code(), bad.err());
            assertTrue(bad.err().contains(f + ": not valid UTF-8 (byte offset 1)"), bad.err());
            assertEquals("", bad.out());
        }

        Run d = run("detokenize", "--tokenizer", tiny, "--ids", ids);
        assertEquals(0, d.code(), d.err());
        assertEquals("Answer: 42<|endoftext|>", d.out().stripTrailing());
        assertEquals("Answer: 42", run("detokenize", "--tokenizer", tiny, "--ids", "[" + ids + "]", "--skip-special").out().stripTrailing());
    }

    @Test
    void renderChatMatchesFixture() throws Exception {
        JsonNode chat = TokenizerFixtures.fixture("qwen3").get("chat").get(1);
        Path messages = tmp.resolve("m.json");
        Files.writeString(messages, chat.get("messages").toString());
        Run j = run("render-chat", "--tokenizer", TokenizerFixtures.dir("qwen3").toString(), "--messages", messages.toString(),
                "--var", "enable_thinking=false", "--json");
        assertEquals(0, j.code(), j.err());
        assertEquals(chat.get("rendered").asText(), Json.MAPPER.readTree(j.out()).get("text").asText());
        assertEquals(chat.get("ids").toString(), Json.MAPPER.readTree(j.out()).get("ids").toString());
        // plain output is the rendering itself, without a newline added
        Path tinyMessages = tmp.resolve("tiny.json");
        Files.writeString(tinyMessages, "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");
        Path dir = Files.createDirectories(tmp.resolve("tinychat"));
        Files.copy(Fixtures.tinyModel().resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": \"{% for m in messages %}{{ m.role }}: {{ m.content }}\\n{% endfor %}{% if add_generation_prompt %}assistant:{% endif %}\"}");
        assertEquals("user: hi\nassistant:", run("render-chat", "--tokenizer", dir.toString(), "--messages", tinyMessages.toString()).out());
        assertEquals("user: hi\n", run("render-chat", "--tokenizer", dir.toString(), "--messages", tinyMessages.toString(), "--no-generation-prompt").out());
    }

    @Test
    void generateFromPromptText() throws Exception {
        String prompt = "Question: What is $1 + 7$?\nAnswer: \\boxed{";
        Run r = run("generate", "--model", Fixtures.tinyModel().toString(), "--prompt", prompt, "--max-new-tokens", "4", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = Json.MAPPER.readTree(r.out());
        int[] ids = TokenizerFixtures.ints(j.get("ids"));
        Tokenizer tiny = Tokenizer.load(Fixtures.tinyModel());
        assertEquals(tiny.decode(ids, true), j.get("text").asText());
        assertTrue(j.get("text").asText().startsWith("8"), "the tiny model answers 1 + 7: " + j.get("text"));
        Run plain = run("generate", "--model", Fixtures.tinyModel().toString(), "--prompt", prompt, "--max-new-tokens", "4");
        assertEquals(j.get("text").asText(), plain.out().stripTrailing());
        // a longer reply: the streamed pieces of the plain output add up to the decoded text
        Run longJson = run("generate", "--model", Fixtures.tinyModel().toString(), "--prompt", "Héllo wörld — 日本", "--max-new-tokens", "24", "--json");
        Run longPlain = run("generate", "--model", Fixtures.tinyModel().toString(), "--prompt", "Héllo wörld — 日本", "--max-new-tokens", "24");
        assertEquals(Json.MAPPER.readTree(longJson.out()).get("text").asText() + "\n", longPlain.out().replace(System.lineSeparator(), "\n"));
        // the same prompt from a file (multi-line prompts, or non-ASCII text in a non-UTF-8 locale)
        Path file = tmp.resolve("prompt.txt");
        Files.writeString(file, prompt, StandardCharsets.UTF_8);
        Run fromFile = run("generate", "--model", Fixtures.tinyModel().toString(), "--prompt-file", file.toString(), "--max-new-tokens", "4");
        assertEquals(j.get("text").asText(), fromFile.out().stripTrailing(), fromFile.err());
    }

    /** --chat renders the prompt as one user turn: the same tokens as the rendering given by --ids. */
    @Test
    void generateChat() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("chat"));
        Files.copy(Fixtures.tinyModel().resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": \"<|endoftext|>\", \"chat_template\": "
                + "\"{% for m in messages %}Question: {{ m.content }}\\n{% endfor %}{% if add_generation_prompt %}Answer: {{ suffix }}{% endif %}\"}");
        Tokenizer t = Tokenizer.load(dir);
        String rendered = "Question: What is $1 + 7$?\nAnswer: \\boxed{";
        String ids = java.util.Arrays.stream(t.encode(rendered)).mapToObj(Integer::toString).collect(java.util.stream.Collectors.joining(","));
        String model = Fixtures.tinyModel().toString();
        Run viaIds = run("generate", "--model", model, "--tokenizer", dir.toString(), "--ids", ids, "--max-new-tokens", "4", "--json");
        Run viaChat = run("generate", "--model", model, "--tokenizer", dir.toString(), "--prompt", "What is $1 + 7$?", "--chat",
                "--var", "suffix=\\boxed{", "--max-new-tokens", "4", "--json");
        assertEquals(0, viaChat.code(), viaChat.err());
        assertEquals(Json.MAPPER.readTree(viaIds.out()).get("ids"), Json.MAPPER.readTree(viaChat.out()).get("ids"));
        assertEquals(2, run("generate", "--model", model, "--ids", ids, "--chat").code());
        assertEquals(2, run("generate", "--model", model, "--prompt", "hi", "--var", "a=b").code());
        // the tiny model's own tokenizer has no template: named, one line
        Run none = run("generate", "--model", model, "--prompt", "hi", "--chat");
        assertEquals(2, none.code());
        assertTrue(none.err().contains("no chat template"), none.err());
    }

    @Test
    void userErrorsAreOneLineWithExitCode2() throws Exception {
        Path messages = tmp.resolve("m.json");
        Files.writeString(messages, "[{\"content\": \"no role\"}]");
        Path broken = Files.createDirectories(tmp.resolve("broken"));
        Files.writeString(broken.resolve("tokenizer.json"), "{\"model\": {\"type\": \"Unigram\", \"vocab\": []}}");
        String tiny = Fixtures.tinyModel().toString();
        String[][] cases = {
                {"tokenize", "--tokenizer", tmp.resolve("nope").toString(), "--text", "x"},
                {"tokenize", "--tokenizer", broken.toString(), "--text", "x"},
                {"tokenize", "--tokenizer", tiny},
                {"detokenize", "--tokenizer", tiny, "--ids", "1,x"},
                {"render-chat", "--tokenizer", tiny, "--messages", messages.toString()},
                {"render-chat", "--tokenizer", tiny, "--messages", tmp.resolve("none.json").toString()},
                {"generate", "--model", Fixtures.hfReference("llama").toString(), "--prompt", "hi"},
                {"generate", "--model", Fixtures.tinyModel().toString(), "--prompt", "hi", "--ids", "1"},
                {"generate", "--model", Fixtures.tinyModel().toString(), "--prompt", "hi", "--prompt-file", messages.toString()},
                {"generate", "--model", Fixtures.tinyModel().toString(), "--prompt-file", tmp.resolve("none.txt").toString()},
        };
        for (String[] c : cases) {
            Run r = run(c);
            assertEquals(2, r.code(), String.join(" ", c) + " -> " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
        // an id past the vocabulary: HF's decode drops it silently, the CLI names it
        Run past = run("detokenize", "--tokenizer", tiny, "--ids", "5,99999");
        assertEquals(2, past.code(), past.err());
        assertTrue(past.err().contains("token id 99999 is not in the vocabulary") && past.err().contains("0..511"), past.err());
        // the tokenizer.json file itself instead of its directory
        Run file = run("tokenize", "--tokenizer", Fixtures.tinyModel().resolve("tokenizer.json").toString(), "--text", "x");
        assertEquals(2, file.code(), file.err());
        assertTrue(file.err().contains("is a file; give the directory that holds tokenizer.json"), file.err());
        // a directory with tokenizer.json only: the missing tokenizer_config.json is named as missing
        Path bare = Files.createDirectories(tmp.resolve("bare"));
        Files.copy(Fixtures.tinyModel().resolve("tokenizer.json"), bare.resolve("tokenizer.json"));
        Files.writeString(messages, "[{\"role\": \"user\", \"content\": \"hi\"}]");
        Run noConfig = run("render-chat", "--tokenizer", bare.toString(), "--messages", messages.toString());
        assertEquals(2, noConfig.code(), noConfig.err());
        assertTrue(noConfig.err().contains("tokenizer_config.json: chat_template: no chat template: the file"), noConfig.err());
    }
}
