package dev.drllm.cli;

import dev.drllm.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code drllm detokenize}: the text of token ids. */
@Command(name = "detokenize", mixinStandardHelpOptions = true, description = "Decode token ids with a tokenizer.json.")
final class DetokenizeCommand implements Callable<Integer> {
    @Option(names = "--tokenizer", required = true, description = "directory with tokenizer.json, or a GGUF file") Path dir;
    @Option(names = "--ids", required = true, description = "token ids, e.g. 1,2,3 or [1, 2, 3]") String ids;
    @Option(names = "--skip-special", description = "drop special tokens (skip_special_tokens=True)") boolean skipSpecial;

    @Override
    public Integer call() {
        int[] parsed = Args.ids(ids);
        Tokenizer tok = dev.drllm.gguf.GgufTokenizer.forModel(dir);
        // HF's decode drops unknown ids silently; on the command line that would print nothing for a typo
        for (int id : parsed) {
            if (id < 0 || tok.token(id) == null) {
                throw new UserException("token id " + id + " is not in the vocabulary of " + dir.resolve("tokenizer.json")
                        + " (ids 0.." + (tok.vocabSize() - 1) + ")");
            }
        }
        System.out.println(tok.decode(parsed, skipSpecial));
        return 0;
    }
}
