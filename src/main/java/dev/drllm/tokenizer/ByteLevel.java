package dev.drllm.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * GPT-2's byte-level alphabet: every byte gets a printable code point so BPE can work on strings.
 * Printable Latin-1 bytes map to themselves; the other 68 bytes map, in byte order, to U+0100 onward.
 */
final class ByteLevel {
    static final char[] BYTE_TO_CHAR = new char[256];
    /** Inverse of {@link #BYTE_TO_CHAR}; -1 where a char is not part of the alphabet. */
    private static final int[] CHAR_TO_BYTE = new int[0x200];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (0x100 + extra++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevel() {}

    /** The byte a char of the alphabet stands for, or -1. */
    static int byteOf(int codePoint) {
        return codePoint >= 0 && codePoint < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[codePoint] : -1;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Replaces lone surrogates by U+FFFD. Rust strings cannot hold them, and Java's UTF-8 encoder
     * would silently write '?' instead, which is a real token.
     */
    static String sanitize(String text) {
        int n = text.length();
        int i = 0;
        while (i < n && !Character.isSurrogate(text.charAt(i))) i++;
        if (i == n) return text;
        StringBuilder sb = new StringBuilder(n).append(text, 0, i);
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                sb.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                sb.append('\uFFFD');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The alphabet string of the UTF-8 bytes of {@code text} (no lone surrogates: see {@link #sanitize}). */
    static String encode(String text) {
        int n = text.length();
        boolean ascii = true;
        for (int i = 0; i < n && ascii; i++) ascii = text.charAt(i) < 0x80;
        if (ascii) {
            char[] out = new char[n];
            for (int i = 0; i < n; i++) out[i] = BYTE_TO_CHAR[text.charAt(i)];
            return new String(out);
        }
        StringBuilder sb = new StringBuilder(n * 2);
        for (int i = 0; i < n; ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 0x80) {
                sb.append(BYTE_TO_CHAR[cp]);
            } else if (cp < 0x800) {
                sb.append(BYTE_TO_CHAR[0xC0 | (cp >> 6)]).append(BYTE_TO_CHAR[0x80 | (cp & 0x3F)]);
            } else if (cp < 0x10000) {
                sb.append(BYTE_TO_CHAR[0xE0 | (cp >> 12)]).append(BYTE_TO_CHAR[0x80 | ((cp >> 6) & 0x3F)])
                        .append(BYTE_TO_CHAR[0x80 | (cp & 0x3F)]);
            } else {
                sb.append(BYTE_TO_CHAR[0xF0 | (cp >> 18)]).append(BYTE_TO_CHAR[0x80 | ((cp >> 12) & 0x3F)])
                        .append(BYTE_TO_CHAR[0x80 | ((cp >> 6) & 0x3F)]).append(BYTE_TO_CHAR[0x80 | (cp & 0x3F)]);
            }
        }
        return sb.toString();
    }

    /** The alphabet string of a byte sequence. */
    static String encode(byte[] bytes) {
        char[] out = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) out[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        return new String(out);
    }

    /**
     * Appends the bytes a token stands for: HF's ByteLevel decoder maps each char back to its byte,
     * but when any char of the token lies outside the alphabet (an added token such as "<|å|>") it
     * emits the token's own UTF-8 bytes instead.
     */
    static void appendTokenBytes(String token, ByteArrayOutputStream out) {
        for (int i = 0; i < token.length(); i++) {
            if (byteOf(token.charAt(i)) < 0) {
                out.writeBytes(utf8(token));
                return;
            }
        }
        for (int i = 0; i < token.length(); i++) out.write(byteOf(token.charAt(i)));
    }

    /**
     * Decodes UTF-8 as Rust's {@code String::from_utf8_lossy} (which HF tokenizers uses): each
     * maximal invalid subsequence (Unicode's "substitution of maximal subparts") becomes one U+FFFD.
     */
    static String decodeLossy(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length);
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                sb.append((char) c);
                i++;
                continue;
            }
            int need;
            int lo = 0x80, hi = 0xBF; // allowed range of the second byte
            int cp;
            if (c >= 0xC2 && c <= 0xDF) { need = 1; cp = c & 0x1F; }
            else if (c >= 0xE0 && c <= 0xEF) {
                need = 2; cp = c & 0x0F;
                if (c == 0xE0) lo = 0xA0;
                else if (c == 0xED) hi = 0x9F; // surrogates are not valid UTF-8
            } else if (c >= 0xF0 && c <= 0xF4) {
                need = 3; cp = c & 0x07;
                if (c == 0xF0) lo = 0x90;
                else if (c == 0xF4) hi = 0x8F;
            } else {
                sb.append('\uFFFD');
                i++;
                continue;
            }
            int j = i + 1;
            boolean ok = true;
            for (int k = 0; k < need; k++, j++) {
                if (j >= b.length) { ok = false; break; }
                int cc = b[j] & 0xFF;
                int min = k == 0 ? lo : 0x80, max = k == 0 ? hi : 0xBF;
                if (cc < min || cc > max) { ok = false; break; }
                cp = (cp << 6) | (cc & 0x3F);
            }
            if (ok) {
                sb.appendCodePoint(cp);
            } else {
                sb.append('\uFFFD'); // the valid prefix [i, j) is one maximal subpart
            }
            i = j;
        }
        return sb.toString();
    }
}
