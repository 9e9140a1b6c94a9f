package dev.drllm.tokenizer;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A pre-tokenizer regex of {@code tokenizer.json}, translated from Oniguruma (HF tokenizers compiles
 * them with the onig crate, Unicode semantics) into a {@link java.util.regex.Pattern} that splits
 * text identically, and run under a work budget.
 *
 * <p>The differences that matter for the GPT-2 / Llama-3 / Qwen2 split patterns: onig's {@code \s}
 * is Unicode White_Space (Java's is ASCII only, so NBSP, U+3000 or U+2028 would otherwise be
 * glued to words), {@code \d} is {@code \p{Nd}}, {@code \w} is letters, marks, decimal digits and
 * connector punctuation, {@code \h} is a hex digit (Java: horizontal space), and {@code (?i)} folds
 * case over all of Unicode (so {@code 'S} and {@code 'ſ} match {@code 's}). {@code \p{L}},
 * {@code \p{N}}, lookahead, possessive and atomic groups mean the same in both.
 *
 * <p>The budget: a file's regex can compile and still backtrack catastrophically ({@code (a+)+$}
 * on a run of {@code a}s and a {@code b} takes 2^n steps), which would hang encoding. Java's
 * matcher reads the text only through {@link CharSequence#charAt}, so the matcher gets a view that
 * counts those reads and gives up past {@link #READS_PER_CHAR} per character of the text plus
 * {@link #BASE_READS}: work, not wall time, so whether a text fails does not depend on the
 * machine or its load. The real split patterns read each character 1 to 18 times (Llama 3, Qwen2/3,
 * GPT-2 on digit, whitespace, emoji, mixed-script and spaced-punctuation runs; see
 * docs/results/fuzzing.md), so the budget leaves them a wide margin and bounds any pattern to a
 * small multiple of their cost. A pattern that is only quadratic fails on long enough texts too,
 * where HF would take quadratic time. Separately, Java's matcher recurses once per repetition of
 * a group ({@code (a|b)*}) and overflows the stack on long texts where onig does not: that too is a
 * {@link TokenizerException}, not an error out of {@code encode}.
 */
final class SplitPattern {
    /** Character reads a match may make per character of its text, beyond {@link #BASE_READS}. */
    static final long READS_PER_CHAR = 256;
    /** Reads every text gets, so short pieces are not held to a few hundred reads. */
    static final long BASE_READS = 4096;

    /** Created here, at load, not at the first throw: that can be deep in a matcher's recursion, short of stack. */
    private static final BudgetSpent BUDGET_SPENT = new BudgetSpent();

    private static final String WS = "\\p{IsWhite_Space}";
    private static final String NOT_WS = "\\P{IsWhite_Space}";
    private static final String WORD = "\\p{L}\\p{M}\\p{Nd}\\p{Pc}";

    private final Pattern pattern;
    private final Path file;
    private final String component;

    private SplitPattern(Pattern pattern, Path file, String component) {
        this.pattern = pattern;
        this.file = file;
        this.component = component;
    }

    /** Compiles an onig pattern; {@code file} and {@code component} name it in errors. */
    static SplitPattern compile(String onig, Path file, String component) {
        try {
            return new SplitPattern(Pattern.compile(translate(onig), Pattern.UNICODE_CASE), file, component);
        } catch (PatternSyntaxException e) {
            throw new TokenizerException(file, component, "regex does not compile: " + e.getDescription(), e);
        }
    }

    /** A literal delimiter ({@code {"String": …}}), or a fixed Java regex such as Digits' {@code \p{N}}. */
    static SplitPattern literal(Pattern pattern, Path file, String component) {
        return new SplitPattern(pattern, file, component);
    }

    /** The compiled Java pattern (tests measure its reads on real text). */
    Pattern pattern() { return pattern; }

    /** A matcher over {@code text} whose reads count against the budget; advance it with {@link #find}. */
    Matcher matcher(String text) {
        return pattern.matcher(new BudgetedText(text, BASE_READS + READS_PER_CHAR * text.length()));
    }

    /** {@code m.find()} for a matcher of {@link #matcher}; a spent budget or a blown stack is a TokenizerException. */
    boolean find(Matcher m) {
        try {
            return m.find();
        } catch (BudgetSpent e) {
            throw new TokenizerException(file, component, "the pre-tokenizer regex exceeded its work budget ("
                    + READS_PER_CHAR + " character reads per character + " + BASE_READS + ") on an input of "
                    + m.regionEnd() + " chars: it backtracks catastrophically on such text");
        } catch (StackOverflowError e) {
            throw new TokenizerException(file, component, "the pre-tokenizer regex overflowed the stack on an input of "
                    + m.regionEnd() + " chars (Java's regex engine recurses once per repetition of a group)");
        }
    }

    /** The text as the matcher sees it: every {@code charAt} spends one read of the budget. */
    private static final class BudgetedText implements CharSequence {
        private final String text;
        private long left;

        BudgetedText(String text, long budget) {
            this.text = text;
            this.left = budget;
        }

        @Override
        public char charAt(int index) {
            if (--left < 0) throw BUDGET_SPENT;
            return text.charAt(index);
        }

        @Override
        public int length() { return text.length(); }

        @Override
        public CharSequence subSequence(int start, int end) { return text.subSequence(start, end); }

        @Override
        public String toString() { return text; }
    }

    /** Thrown through the matcher's frames to {@link #find}; shared, as it carries no stack trace or state. */
    private static final class BudgetSpent extends RuntimeException {
        BudgetSpent() {
            super(null, null, false, false);
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
