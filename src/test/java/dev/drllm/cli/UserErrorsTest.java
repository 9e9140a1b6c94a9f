package dev.drllm.cli;

import dev.drllm.Fixtures;
import dev.drllm.model.CheckpointException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.*;

/** The CLI's error contract: user errors are one line on stderr with exit code 2, bugs keep their stack trace (exit 1). */
class UserErrorsTest {
    record Run(int code, String err) {}

    static Run run(String... args) {
        StringWriter sw = new StringWriter();
        int code = Main.run(new PrintWriter(sw, true), args);
        return new Run(code, sw.toString());
    }

    static void assertOneLine(Run r, String fragment) {
        assertEquals(UserErrors.USER_ERROR, r.code(), r.err());
        String e = r.err().strip();
        assertFalse(e.contains("\n"), "one line expected:\n" + e);
        assertFalse(e.contains("\tat ") || e.contains("Exception in"), "no stack trace:\n" + e);
        assertTrue(e.startsWith("drllm"), e);
        assertTrue(e.contains(fragment), "'" + e + "' lacks '" + fragment + "'");
    }

    @Test
    void optionErrorsAreOneLineWithAPointerToHelp() {
        assertOneLine(run("generate", "--no-such-option"), "see 'drllm generate --help'");
        assertOneLine(run("generate", "--ids", "1"), "Missing required option: '--model");
        assertOneLine(run("generate", "--model", ".", "--ids", "1", "--max-new-tokens", "many"), "'many'");
        assertOneLine(run("no-such-command"), "drllm:");
        // a misspelled required option is named as the typo, not as the option it left missing
        assertOneLine(run("logits", "--modle", ".", "--ids", "1", "--out", "x.json"), "Unknown option: '--modle'; did you mean --model?");
        assertOneLine(run("logits", "--model", ".", "--idz=1", "--out", "x.json"), "Unknown option: '--idz'; did you mean --ids?");
    }

    /**
     * generate checks what it can before the weights load: the directory holds config and tokenizer
     * but no weights, so reaching the load would fail differently.
     */
    @Test
    void generateChecksOptionsBeforeTheModelLoads(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("noweights"));
        for (String f : new String[]{"config.json", "tokenizer.json", "tokenizer_config.json"}) Files.copy(Fixtures.tinyModel().resolve(f), dir.resolve(f));
        String m = dir.toString();
        // one message for a missing model directory, whether or not the prompt needs its tokenizer
        assertOneLine(run("generate", "--model", tmp.resolve("missing").toString(), "--prompt", "hi"), "missing: not a directory");
        assertOneLine(run("generate", "--model", m, "--prompt", "hi", "--max-new-tokens", "-5"), "--max-new-tokens must be >= 0, got -5");
        assertOneLine(run("generate", "--model", m, "--ids", "1,2,3", "--max-new-tokens", "300"),
                "prompt of 3 tokens + 300 new tokens exceeds the model's context of 256 positions: at most 253 new tokens fit after this prompt; lower --max-new-tokens");
        // a prompt that alone fills the context: lowering --max-new-tokens would not help
        String ids = String.join(",", java.util.Collections.nCopies(300, "5"));
        assertOneLine(run("generate", "--model", m, "--ids", ids, "--max-new-tokens", "4"),
                "prompt of 300 tokens + 4 new tokens exceeds the model's context of 256 positions: the prompt alone fills it; shorten the prompt");
        // an empty path would run no layer at all (64 spaces, exit 0)
        assertOneLine(run("generate", "--model", m, "--ids", "1", "--path", ""), "--path '' has no layers");
        assertOneLine(run("generate", "--model", m, "--ids", "1", "--path", "0,0,0"), "occurs more than twice");
        assertOneLine(run("generate", "--model", m, "--ids", "1"), "model.safetensors");
    }

    @Test
    void badInputFilesAreOneLine(@TempDir Path tmp) throws IOException {
        assertOneLine(run("generate", "--model", tmp.resolve("missing").toString(), "--ids", "1"), "not a directory");
        // sampling options are refused before the model directory is even looked at
        assertOneLine(run("generate", "--model", tmp.resolve("missing").toString(), "--ids", "1", "--top-p", "2"), "top-p must be in (0, 1]");
        Path dir = Files.createDirectories(tmp.resolve("m"));
        // Jackson's message spans two lines (the location); the CLI must still print one
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"llama\",\n \"hidden_size\": }");
        assertOneLine(run("generate", "--model", dir.toString(), "--ids", "1"), "config.json: not valid JSON");
        // Jackson's location boilerplate ("[Source: REDACTED ...") replaced by the line and column
        assertOneLine(run("generate", "--model", dir.toString(), "--ids", "1"), "(line 2, column ");
        assertFalse(run("generate", "--model", dir.toString(), "--ids", "1").err().contains("REDACTED"));
        Files.writeString(dir.resolve("config.json"), "{\"vocab_size\": 32\n");
        Run unclosed = run("generate", "--model", dir.toString(), "--ids", "1");
        assertOneLine(unclosed, "expected close marker for Object (start marker at line 1, column 1) (line 2, column 1)");
        assertFalse(unclosed.err().contains("REDACTED"), unclosed.err());
        assertOneLine(run("render-chat", "--tokenizer", Fixtures.tinyModel().toString(), "--messages", tmp.resolve("none.json").toString()),
                "none.json: messages file not found");
        assertOneLine(run("generate", "--model", Fixtures.tinyModel().toString(), "--ids", "1,99999"), "99999");
        assertOneLine(run("generate", "--model", Fixtures.tinyModel().toString(), "--ids", "1", "--path", "5,4"), "non-decreasing");
    }

    /** eval and train-routers write at the end: an unusable output location fails before the work (one line, at once). */
    @Test
    void unusableOutputLocationsFailFirst(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("plain.txt"), "x");
        String data = Fixtures.projectDir().resolve("data/tasks/arc-test.jsonl").toString();
        assertOneLine(run("eval", "--model", Fixtures.tinyModel().toString(), "--task", "arc", "--data", data,
                "--out-dir", file.resolve("sub").toString(), "--quiet"), "--out-dir " + file.resolve("sub") + ": cannot create the directory");
        assertOneLine(run("train-routers", "--model", Fixtures.tinyModel().toString(), "--labels", data, "--data", data,
                "--out", file.resolve("r.safetensors").toString()), "--out " + file + ": cannot create the directory");
        assertOneLine(run("train-routers", "--model", Fixtures.tinyModel().toString(), "--labels", data, "--data", data,
                "--out", tmp.toString()), "is a directory");
    }

    /** A question too long for the context is named before the evaluation starts (it used to end the run midway). */
    @Test
    void evalNamesAQuestionLongerThanTheContext(@TempDir Path tmp) throws IOException {
        Path data = Files.writeString(tmp.resolve("long.jsonl"), "{\"id\": \"short\", \"query\": \"What is 1 + 1?\", \"gt_ans\": \"2\"}\n"
                + "{\"id\": \"long\", \"query\": \"What is " + "1 + ".repeat(200) + "1?\", \"gt_ans\": \"201\"}\n");
        assertOneLine(run("eval", "--model", Fixtures.tinyModel().toString(), "--task", "dart", "--data", data.toString(),
                "--out-dir", tmp.resolve("out").toString(), "--quiet"), "question 1 (id 'long'): prompt of ");
    }

    @Test
    void wrappedUserErrorsAreFoundInTheCauseChain() {
        StringWriter sw = new StringWriter();
        UserErrors u = new UserErrors(false);
        Exception wrapped = new ExecutionException(new RuntimeException(
                new CheckpointException(Path.of("m/model.safetensors"), "w", "missing tensor")));
        assertEquals(2, u.report(wrapped, "mcts", new PrintWriter(sw, true)));
        assertEquals("drllm mcts: m/model.safetensors: tensor 'w': missing tensor", sw.toString().strip());

        sw.getBuffer().setLength(0);
        assertEquals(2, u.report(new UncheckedIOException(new java.nio.file.NoSuchFileException("data.jsonl")), "eval",
                new PrintWriter(sw, true)));
        assertEquals("drllm eval: no such file: data.jsonl", sw.toString().strip());

        sw.getBuffer().setLength(0);
        assertEquals(2, u.report(new IllegalArgumentException((String) null), "eval", new PrintWriter(sw, true)));
        assertEquals("drllm eval: IllegalArgumentException", sw.toString().strip());
    }

    @Test
    void bugsKeepTheirStackTraceAndOutOfMemoryIsOneLine() {
        StringWriter sw = new StringWriter();
        UserErrors u = new UserErrors(false);
        assertEquals(1, u.report(new NullPointerException("boom"), "generate", new PrintWriter(sw, true)));
        assertTrue(sw.toString().contains("\tat "), sw.toString());

        sw.getBuffer().setLength(0);
        assertEquals(1, u.report(new OutOfMemoryError("Java heap space"), "generate", new PrintWriter(sw, true)));
        assertFalse(sw.toString().strip().contains("\n"), sw.toString());
        assertTrue(sw.toString().contains("out of memory (Java heap space)"), sw.toString());

        sw.getBuffer().setLength(0);
        assertEquals(2, new UserErrors(true).report(new UserException("bad"), "generate", new PrintWriter(sw, true)));
        assertTrue(sw.toString().startsWith("drllm generate: bad") && sw.toString().contains("\tat "), "DRLLM_DEBUG adds the trace");
    }
}
