package dev.drllm.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.tokenizer.Tokenizer;
import dev.drllm.util.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code drllm tokenize}: the ids of a text, as Hugging Face's tokenizer gives them. */
@Command(name = "tokenize", mixinStandardHelpOptions = true, description = "Encode text with a tokenizer.json.")
final class TokenizeCommand implements Callable<Integer> {
    @Option(names = "--tokenizer", required = true, description = "directory with tokenizer.json (and tokenizer_config.json)") Path dir;
    @Option(names = "--text", description = "the text to encode") String text;
    @Option(names = "--text-file", description = "read the text from this UTF-8 file instead") Path textFile;
    @Option(names = "--special", description = "add the post-processor's special tokens (e.g. Llama 3's BOS)") boolean special;
    @Option(names = "--json", description = "print {\"ids\": [...]} instead of comma-separated ids") boolean json;

    @Override
    public Integer call() throws Exception {
        String input = readText("--text", text, textFile);
        int[] ids = Tokenizer.load(dir).encode(input, special);
        if (json) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            var arr = o.putArray("ids");
            for (int id : ids) arr.add(id);
            System.out.println(Json.MAPPER.writeValueAsString(o));
        } else {
            StringBuilder sb = new StringBuilder();
            for (int id : ids) sb.append(sb.isEmpty() ? "" : ",").append(id);
            System.out.println(sb);
        }
        return 0;
    }

    /** The text of option {@code textOption} or of the file of {@code textOption}-file (exactly one of them given). */
    static String readText(String textOption, String text, Path file) throws java.io.IOException {
        if ((text == null) == (file == null)) throw new UserException("give exactly one of " + textOption + " and " + textOption + "-file");
        if (text != null) return Args.text(textOption, text);
        if (!Files.isRegularFile(file)) throw new UserException(file + ": not a readable file");
        try {
            return dev.drllm.util.Utf8.decode(Files.readAllBytes(file));
        } catch (dev.drllm.util.Utf8.MalformedException e) {
            // decoding it with U+FFFD would tokenize (and generate from) text the file does not hold
            throw new UserException(file + ": " + e.getMessage() + "; " + textOption + "-file takes UTF-8 text");
        }
    }
}
