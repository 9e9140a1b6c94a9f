package dev.drllm.util;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 decoding for inputs that must be text (prompt and text files, safetensors headers):
 * a malformed byte is an error at its offset, never a silent U+FFFD.
 */
public final class Utf8 {
    /** Bytes that are not UTF-8, from {@link #offset()} on. */
    public static final class MalformedException extends Exception {
        private final long offset;

        MalformedException(long offset) {
            super("not valid UTF-8 (byte offset " + offset + ")");
            this.offset = offset;
        }

        /** The offset of the first byte that is not part of a valid UTF-8 sequence. */
        public long offset() { return offset; }
    }

    private Utf8() {}

    /** The text of {@code bytes}, or {@link MalformedException} naming the first bad byte's offset. */
    public static String decode(byte[] bytes) throws MalformedException {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = d.decode(in, out, true);
        if (!r.isError()) r = d.flush(out);
        if (r.isError()) throw new MalformedException(in.position());
        return out.flip().toString();
    }
}
