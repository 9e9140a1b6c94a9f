package dev.drllm.tokenizer;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where Jinjava reads a template differently from Jinja2, for the constructs HF chat templates use:
 * source rewrites that give Jinja2's reading, and Jinja2's {@code iterable} / {@code sequence} /
 * {@code mapping} tests (Jinjava's say no to strings, so Llama 3.2's tool results would not go
 * through {@code tojson}). Each rewrite is checked by ChatTemplateTest.
 */
final class JinjaCompat {
    private JinjaCompat() {}

    static String rewrite(String template) {
        return reverseSlices(parenthesizeNamespaceArguments(notPrecedence(template)));
    }

    static List<ExpTest> tests() {
        return List.of(
                test("iterable", v -> v instanceof CharSequence || v instanceof Iterable<?> || v instanceof Map<?, ?> || v instanceof Object[]),
                test("sequence", v -> v instanceof CharSequence || v instanceof Collection<?> || v instanceof Map<?, ?> || v instanceof Object[]),
                test("mapping", v -> v instanceof Map<?, ?>));
    }

    private static ExpTest test(String name, java.util.function.Predicate<Object> p) {
        return new ExpTest() {
            @Override public String getName() { return name; }
            @Override public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) { return p.test(var); }
        };
    }

    // ---- `not` binds looser than comparisons and tests in Jinja2 --------------------------------

    /**
     * Jinja2 reads {@code not a == b} as {@code not (a == b)} and {@code not x is defined} as
     * {@code not (x is defined)}; Jinjava applies {@code not} to {@code a} alone (Llama 3.2's
     * {@code not message.tool_calls|length == 1} then fails). Inside every tag, the operand of
     * {@code not} — up to the next {@code and}, {@code or}, {@code if}, {@code else}, comma or
     * closing bracket at its level — is wrapped in parentheses. {@code is not} and {@code not in}
     * are left alone.
     */
    static String notPrecedence(String t) {
        StringBuilder out = new StringBuilder(t.length() + 16);
        int i = 0;
        while (i < t.length()) {
            int open = nextTag(t, i);
            if (open < 0) break;
            out.append(t, i, open);
            char kind = t.charAt(open + 1);
            if (kind == '#') { // comment: copy through
                int end = t.indexOf("#}", open + 2);
                end = end < 0 ? t.length() : end + 2;
                out.append(t, open, end);
                i = end;
                continue;
            }
            String close = kind == '{' ? "}}" : "%}";
            int bodyStart = open + 2;
            int end = tagEnd(t, bodyStart, close);
            if (end < 0) { // unterminated: Jinjava reports it
                out.append(t.substring(open));
                return out.toString();
            }
            String body = t.substring(bodyStart, end);
            out.append(t, open, bodyStart);
            if (kind == '%' && body.strip().replaceFirst("^[-+]\\s*", "").startsWith("raw")) {
                // copied verbatim up to the end of {% endraw %} (or the end of the text)
                int endRaw = t.indexOf("endraw", end);
                int closeRaw = endRaw < 0 ? -1 : t.indexOf("%}", endRaw);
                int stop = closeRaw < 0 ? t.length() : closeRaw + 2;
                out.append(t, bodyStart, stop);
                i = stop;
                continue;
            }
            out.append(rewriteNot(tokens(body)));
            out.append(close);
            i = end + 2;
        }
        return out.append(t.substring(Math.min(i, t.length()))).toString();
    }

    private static int nextTag(String t, int from) {
        for (int k = t.indexOf('{', from); k >= 0 && k + 1 < t.length(); k = t.indexOf('{', k + 1)) {
            char c = t.charAt(k + 1);
            if (c == '{' || c == '%' || c == '#') return k;
        }
        return -1;
    }

    /** Index of the closing delimiter, skipping string literals; -1 if none. */
    private static int tagEnd(String t, int from, String close) {
        char quote = 0;
        for (int k = from; k < t.length(); k++) {
            char c = t.charAt(k);
            if (quote != 0) {
                if (c == '\\') k++;
                else if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (t.startsWith(close, k)) {
                return k;
            }
        }
        return -1;
    }

    /** Expression tokens: string literals, words, whitespace runs, single other chars. */
    private static List<String> tokens(String s) {
        List<String> out = new ArrayList<>();
        int k = 0;
        while (k < s.length()) {
            char c = s.charAt(k);
            int j = k + 1;
            if (c == '\'' || c == '"') {
                while (j < s.length() && s.charAt(j) != c) j += s.charAt(j) == '\\' ? 2 : 1;
                j = Math.min(j + 1, s.length());
            } else if (Character.isJavaIdentifierPart(c)) {
                while (j < s.length() && Character.isJavaIdentifierPart(s.charAt(j))) j++;
            } else if (Character.isWhitespace(c)) {
                while (j < s.length() && Character.isWhitespace(s.charAt(j))) j++;
            }
            out.add(s.substring(k, j));
            k = j;
        }
        return out;
    }

    private static String rewriteNot(List<String> tok) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < tok.size(); i++) {
            String w = tok.get(i);
            if (w.equals("not") && !"is".equals(neighbour(tok, i, -1)) && !"in".equals(neighbour(tok, i, +1))) {
                int end = operandEnd(tok, i + 1);
                sb.append("not (").append(rewriteNot(tok.subList(i + 1, end)).strip()).append(')');
                // keep the whitespace that ended the operand
                int k = end - 1;
                while (k > i && tok.get(k).isBlank()) k--;
                for (int m = k + 1; m < end; m++) sb.append(tok.get(m));
                i = end - 1;
            } else {
                sb.append(w);
            }
        }
        return sb.toString();
    }

    private static String neighbour(List<String> tok, int i, int dir) {
        for (int k = i + dir; k >= 0 && k < tok.size(); k += dir) if (!tok.get(k).isBlank()) return tok.get(k);
        return null;
    }

    private static int operandEnd(List<String> tok, int from) {
        int depth = 0;
        for (int k = from; k < tok.size(); k++) {
            String w = tok.get(k);
            switch (w) {
                case "(", "[", "{" -> depth++;
                case ")", "]", "}" -> { if (depth-- == 0) return k; }
                case "and", "or", "if", "else", ",", "-" -> {
                    // "-" only as the whitespace-control marker right before the closing delimiter
                    if (depth == 0 && (!w.equals("-") || k == tok.size() - 1)) return k;
                }
                default -> { }
            }
        }
        return tok.size();
    }

    /**
     * Jinjava parses {@code namespace(n=messages|length - 1)} as {@code (n=messages|length) - 1};
     * Jinja2 binds the whole expression to {@code n}. Wrapping each keyword value of a
     * {@code namespace(…)} call in parentheses gives Jinja2's reading (Qwen3's template needs it).
     */
    static String parenthesizeNamespaceArguments(String t) {
        StringBuilder sb = new StringBuilder(t.length() + 16);
        int from = 0;
        while (true) {
            int k = t.indexOf("namespace(", from);
            if (k < 0 || (k > 0 && (Character.isJavaIdentifierPart(t.charAt(k - 1)) || t.charAt(k - 1) == '.'))) {
                if (k < 0) break;
                sb.append(t, from, k + 1);
                from = k + 1;
                continue;
            }
            int open = k + "namespace".length();
            int close = matchingParen(t, open);
            if (close < 0) break;
            sb.append(t, from, open + 1);
            List<String> args = splitTopLevel(t.substring(open + 1, close));
            for (int i = 0; i < args.size(); i++) {
                if (i > 0) sb.append(',');
                java.util.regex.Matcher m = KWARG.matcher(args.get(i));
                sb.append(m.matches() ? m.group(1) + "=(" + m.group(2) + ")" : args.get(i));
            }
            sb.append(')');
            from = close + 1;
        }
        return sb.append(t.substring(from)).toString();
    }

    /**
     * Jinjava's slices take no step, so the Python idiom {@code xs[::-1]} (Qwen's templates walk
     * the messages backwards with it) becomes the equivalent {@code (xs|list|reverse)}.
     */
    static String reverseSlices(String t) {
        return REVERSE_SLICE.matcher(t).replaceAll("($1|list|reverse)");
    }

    private static final java.util.regex.Pattern REVERSE_SLICE =
            java.util.regex.Pattern.compile("([A-Za-z_][\\w.]*(?:\\[[^\\[\\]]*\\])*)\\[\\s*:\\s*:\\s*-1\\s*\\]");

    private static final java.util.regex.Pattern KWARG = java.util.regex.Pattern.compile("(?s)(\\s*[A-Za-z_]\\w*\\s*)=(?!=)(.*)");

    /** Index of the ')' closing the '(' at {@code open}, skipping string literals; -1 if none. */
    private static int matchingParen(String t, int open) {
        int depth = 0;
        char quote = 0;
        for (int i = open; i < t.length(); i++) {
            char c = t.charAt(i);
            if (quote != 0) {
                if (c == '\\') i++;
                else if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') quote = c;
            else if (c == '(' || c == '[' || c == '{') depth++;
            else if (c == ')' || c == ']' || c == '}') {
                if (--depth == 0) return c == ')' ? i : -1;
            }
        }
        return -1;
    }

    private static List<String> splitTopLevel(String s) {
        List<String> out = new java.util.ArrayList<>();
        int depth = 0, start = 0;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') i++;
                else if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') quote = c;
            else if (c == '(' || c == '[' || c == '{') depth++;
            else if (c == ')' || c == ']' || c == '}') depth--;
            else if (c == ',' && depth == 0) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out;
    }

}
