package dev.drllm.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.drllm.Fixtures;
import dev.drllm.tokenizer.Tokenizer;
import dev.drllm.tokenizer.TokenizerException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * tokenizer.json is untrusted input: any bytes load or fail with a TokenizerException. And any text
 * encodes without error and round-trips through the tiny model's byte-level tokenizer; any ids decode.
 */
class TokenizerFuzzTest {
    private static final Tokenizer TINY = Tokenizer.load(Fixtures.tinyModel());
    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("tokenizer-fuzz");
            DIR.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "5s")
    void tokenizerJson(byte[] data) throws IOException {
        Files.write(DIR.resolve("tokenizer.json"), data);
        try {
            Tokenizer t = Tokenizer.load(DIR);
            t.decode(t.encode("Question: 1 + 1?\nAnswer: ", true), true);
        } catch (TokenizerException expected) {
        }
    }

    @FuzzTest(maxDuration = "5s")
    void encodeDecode(FuzzedDataProvider in) {
        String text = in.consumeString(2000);
        int[] ids = TINY.encode(text);
        String back = TINY.decode(ids, false);
        // no normalizer in the tiny tokenizer: the byte-level round trip is exact (lone surrogates → U+FFFD)
        String expected = text.codePoints().map(c -> c >= 0xD800 && c <= 0xDFFF ? 0xFFFD : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        if (!back.equals(expected)) throw new AssertionError("round trip of " + text + " gave " + back);
        TINY.decode(in.consumeInts(64), in.consumeBoolean());
    }
}
