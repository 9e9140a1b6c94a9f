package dev.drllm.tokenizer;

import java.util.Arrays;

/**
 * Text as it streams, for byte-level tokenizers where a token may end inside a multi-byte
 * character: the tokens since the last emitted boundary are decoded with and without the new
 * one, and the difference is handed out once it no longer ends in U+FFFD (the scheme of HF's
 * streaming decoder; decoding only the tail keeps it linear in the length). Special tokens are
 * skipped, as in the final {@code decode(ids, true)}.
 */
public final class TextStream {
    private final Tokenizer tokenizer;
    private int[] ids = new int[16];
    private int count, prefixOffset, readOffset;

    public TextStream(Tokenizer tokenizer) { this.tokenizer = tokenizer; }

    /** The text {@code id} completes: empty while it ends inside a character. */
    public String append(int id) {
        if (count == ids.length) ids = Arrays.copyOf(ids, count * 2);
        ids[count++] = id;
        String prefix = tokenizer.decode(Arrays.copyOfRange(ids, prefixOffset, readOffset), true);
        String all = tokenizer.decode(Arrays.copyOfRange(ids, prefixOffset, count), true);
        if (all.length() > prefix.length() && !all.endsWith("\uFFFD")) {
            prefixOffset = readOffset;
            readOffset = count;
            return all.substring(prefix.length());
        }
        return "";
    }
}
