package dev.drllm.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.Fixtures;
import dev.drllm.util.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/** The vendored real tokenizers (src/test/resources/tokenizers, see its README) unpacked once per run. */
final class TokenizerFixtures {
    private static final ConcurrentHashMap<String, Tokenizer> LOADED = new ConcurrentHashMap<>();

    private TokenizerFixtures() {}

    static Path resources() {
        return Fixtures.projectDir().resolve("src/test/resources/tokenizers");
    }

    /** A directory holding {@code name}'s tokenizer.json and tokenizer_config.json. */
    static synchronized Path dir(String name) {
        Path out = Fixtures.projectDir().resolve("target/test-tokenizers").resolve(name);
        try {
            Path json = out.resolve("tokenizer.json");
            if (!Files.isRegularFile(json)) {
                Files.createDirectories(out);
                Path tmp = out.resolve("tokenizer.json.tmp");
                try (InputStream in = new GZIPInputStream(Files.newInputStream(resources().resolve(name).resolve("tokenizer.json.gz")))) {
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                }
                Files.move(tmp, json, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.copy(resources().resolve(name).resolve("tokenizer_config.json"), out.resolve("tokenizer_config.json"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Shared across tests: loading the 11 MB Qwen3 file takes a second. */
    static Tokenizer load(String name) {
        return LOADED.computeIfAbsent(name, n -> Tokenizer.load(dir(n)));
    }

    static JsonNode fixture(String name) {
        try {
            return Json.MAPPER.readTree(resources().resolve(name + "-fixture.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int[] ints(JsonNode arr) {
        int[] out = new int[arr.size()];
        for (int i = 0; i < out.length; i++) out[i] = arr.get(i).asInt();
        return out;
    }
}
