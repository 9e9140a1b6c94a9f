package dev.drllm.tokenizer;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Translates the Oniguruma regexes of {@code tokenizer.json} (HF tokenizers compiles them with the
 * onig crate, Unicode semantics) into {@link java.util.regex.Pattern}s that split text identically.
 *
 * <p>The differences that matter for the GPT-2 / Llama-3 / Qwen2 split patterns: onig's {@code \s}
 * is Unicode White_Space (Java's is ASCII only, so NBSP, U+3000 or U+2028 would otherwise be
 * glued to words), {@code \d} is {@code \p{Nd}}, {@code \w} is letters, marks, decimal digits and
 * connector punctuation, {@code \h} is a hex digit (Java: horizontal space), and {@code (?i)} folds
 * case over all of Unicode (so {@code 'S} and {@code 'ſ} match {@code 's}). {@code \p{L}},
 * {@code \p{N}}, lookahead, possessive and atomic groups mean the same in both.
 */
final class SplitPattern {
    private static final String WS = "\\p{IsWhite_Space}";
    private static final String NOT_WS = "\\P{IsWhite_Space}";
    private static final String WORD = "\\p{L}\\p{M}\\p{Nd}\\p{Pc}";

    private SplitPattern() {}

    /** Compiles an onig pattern; {@code component} names it in the error. */
    static Pattern compile(String onig, java.nio.file.Path file, String component) {
        try {
            return Pattern.compile(translate(onig), Pattern.UNICODE_CASE);
        } catch (PatternSyntaxException e) {
            throw new TokenizerException(file, component, "regex does not compile: " + e.getDescription(), e);
        }
    }

    static String translate(String p) {
        StringBuilder sb = new StringBuilder(p.length() + 32);
        int depth = 0; // inside a character class when > 0
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\\' && i + 1 < p.length()) {
                char e = p.charAt(++i);
                boolean inClass = depth > 0;
                switch (e) {
                    case 's' -> sb.append(WS);
                    case 'S' -> sb.append(NOT_WS);
                    case 'd' -> sb.append("\\p{Nd}");
                    case 'D' -> sb.append("\\P{Nd}");
                    case 'w' -> sb.append(inClass ? WORD : "[" + WORD + "]");
                    case 'W' -> sb.append("[^" + WORD + "]");
                    case 'h' -> sb.append(inClass ? "0-9a-fA-F" : "[0-9a-fA-F]");
                    case 'H' -> sb.append("[^0-9a-fA-F]");
                    default -> sb.append('\\').append(e);
                }
                if ((e == 'p' || e == 'P') && i + 1 < p.length() && p.charAt(i + 1) == '{') {
                    int close = p.indexOf('}', i);
                    if (close > 0) {
                        sb.append(p, i + 1, close + 1);
                        i = close;
                    }
                }
                continue;
            }
            if (c == '[') {
                depth++;
                sb.append(c);
                // a ']' right after '[' or '[^' is a literal in both dialects
                if (i + 1 < p.length() && p.charAt(i + 1) == '^') { sb.append('^'); i++; }
                if (i + 1 < p.length() && p.charAt(i + 1) == ']') { sb.append("\\]"); i++; }
                continue;
            }
            if (c == ']' && depth > 0) depth--;
            sb.append(c);
        }
        return sb.toString();
    }
}
