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
        return parenthesizeNamespaceArguments(notPrecedence(lstripBlocks(template)));
    }

    /**
     * Jinja2's {@code lstrip_blocks}: the spaces and tabs before a block or comment tag are removed
     * only when nothing else stands between the start of the line and the tag (Jinjava strips them
     * before every tag: {@code {{ x }} {% if … %}} lost its space). {@code {%+} keeps them.
     * Jinjava's own lstrip is off; its trim_blocks stays on.
     */
    static String lstripBlocks(String t) {
        StringBuilder out = new StringBuilder(t.length());
        int i = 0;
        boolean lineStarting = true;
        while (i < t.length()) {
            int open = nextTag(t, i);
            if (open < 0) break;
            String text = t.substring(i, open);
            char kind = t.charAt(open + 1);
            char sign = open + 2 < t.length() ? t.charAt(open + 2) : 0;
            int bodyStart = open + 2;
            if (kind != '{' && sign == '+') {
                bodyStart++; // {%+ : whitespace kept; Jinjava does not know the sign
            } else if (kind != '{' && sign != '-') {
                int lpos = text.lastIndexOf('\n') + 1;
                if ((lpos > 0 || lineStarting) && lpos < text.length() && text.substring(lpos).chars().allMatch(JinjaCompat::pyWhitespace)) {
                    text = text.substring(0, lpos);
                }
            }
            out.append(text).append(t, open, open + 2);
            String close = kind == '{' ? "}}" : kind == '%' ? "%}" : "#}";
            int end = kind == '#' ? t.indexOf("#}", bodyStart) : tagEnd(t, bodyStart, close);
            if (end < 0) {
                out.append(t.substring(bodyStart));
                return out.toString();
            }
            String body = t.substring(bodyStart, end);
            i = end + 2;
            if (kind == '#') {
                // a comment stays a token boundary, as in Jinja2's lexer ({%- after it must not strip
                // the text before it): it becomes an empty expression, with its own whitespace control
                // and trim_blocks applied here
                out.setLength(out.length() - 2);
                boolean rightTrim = body.endsWith("-");
                out.append(sign == '-' ? "{{- '' " : "{{ '' ").append(rightTrim ? "-}}" : "}}");
                if (!rightTrim && i < t.length() && t.charAt(i) == '\n') i++;
                lineStarting = !rightTrim && i > 0 && t.charAt(i - 1) == '\n';
                if (rightTrim) {
                    int k = i;
                    while (k < t.length() && pyWhitespace(t.charAt(k))) k++;
                    lineStarting = k > i && t.charAt(k - 1) == '\n';
                }
                continue;
            }
            // {% … +%}: trim_blocks does not take the newline after this tag (an empty expression
            // after it stops Jinjava's trim_blocks)
            boolean keepNewline = kind == '%' && body.endsWith("+");
            if (keepNewline) body = body.substring(0, body.length() - 1);
            out.append(body).append(close);
            if (keepNewline) out.append("{{ '' }}");
            if (kind == '%' && isRaw(body)) {
                int stop = rawEnd(t, i);
                out.append(t, i, stop);
                i = stop;
            }
            // trim_blocks: a block or comment tag's match takes the newline after it
            if (kind == '{') {
                lineStarting = false;
            } else if (body.endsWith("-")) {
                int k = i;
                while (k < t.length() && pyWhitespace(t.charAt(k))) k++;
                lineStarting = k > i && t.charAt(k - 1) == '\n';
            } else {
                lineStarting = i < t.length() && t.charAt(i) == '\n';
            }
        }
        return out.append(t.substring(Math.min(i, t.length()))).toString();
    }

    private static boolean isRaw(String tagBody) {
        return tagBody.strip().replaceFirst("^[-+]\\s*", "").startsWith("raw");
    }

    /** Where a raw block that starts before {@code from} ends: after its {@code {% endraw %}}, or the end of the text. */
    private static int rawEnd(String t, int from) {
        int endRaw = t.indexOf("endraw", from);
        int closeRaw = endRaw < 0 ? -1 : t.indexOf("%}", endRaw);
        return closeRaw < 0 ? t.length() : closeRaw + 2;
    }

    private static boolean pyWhitespace(int c) {
        return Character.isWhitespace(c) || c == 0x85 || c == 0xa0 || Character.isSpaceChar(c);
    }

    /** The variable {@code none} / {@code None} literals become: Python's None, distinct from undefined. */
    static final String NONE_VARIABLE = "drllm_none";

    /** The function Python slices become: {@code xs[a:b:c]} is {@code drllm_slice(xs, a, b, c)}. */
    static final String SLICE_FUNCTION = "drllm_slice";

    /**
     * Python's {@code obj[lo:hi:step]} on a list or a string (by code point), any bound an expression
     * or None. Undefined cannot be sliced.
     */
    public static Object slice(Object obj, Object lo, Object hi, Object step) {
        if (obj == null) throw new PyValues.PyError("UndefinedError: cannot slice an undefined value");
        List<Object> items;
        boolean string = obj instanceof String || obj instanceof com.hubspot.jinjava.objects.SafeString;
        if (string) {
            items = new ArrayList<>();
            obj.toString().codePoints().forEach(c -> items.add(c));
        } else if (obj instanceof List<?> l) {
            items = new ArrayList<>(l);
        } else {
            throw new PyValues.PyError("TypeError: '" + PyValues.typeName(obj) + "' object is not subscriptable");
        }
        int n = items.size();
        long st = index(step, 1);
        if (st == 0) throw new PyValues.PyError("ValueError: slice step cannot be zero");
        long start, stop;
        if (st > 0) {
            start = clamp(bound(lo, 0), n, 0, n);
            stop = clamp(bound(hi, n), n, 0, n);
        } else {
            start = clamp(bound(lo, n - 1), n, -1, n - 1);
            stop = clamp(bound(hi, -1 - n), n, -1, n - 1);
        }
        List<Object> out = new ArrayList<>();
        for (long i = start; st > 0 ? i < stop : i > stop; i += st) out.add(items.get((int) i));
        if (string) {
            StringBuilder sb = new StringBuilder();
            for (Object c : out) sb.appendCodePoint((Integer) c);
            return sb.toString();
        }
        return obj instanceof PyValues.PyTuple ? new PyValues.PyTuple(out.toArray()) : out;
    }

    private static long bound(Object v, long dflt) {
        return v == null || v == PyValues.NONE ? Long.MIN_VALUE + dflt - Long.MIN_VALUE : index(v, dflt) ;
    }

    private static long index(Object v, long dflt) {
        if (v == null || v == PyValues.NONE) return dflt;
        if (v instanceof Number num && !(v instanceof Double || v instanceof Float || v instanceof java.math.BigDecimal)) return num.longValue();
        if (v instanceof Boolean b) return b ? 1 : 0;
        throw new PyValues.PyError("TypeError: slice indices must be integers or None or have an __index__ method");
    }

    /** A bound as CPython's PySlice_AdjustIndices reads it: negative from the end, then clamped. */
    private static long clamp(long i, int n, long lowest, long highest) {
        if (i < 0) i += n;
        return Math.max(lowest, Math.min(highest, i));
    }

    static List<ExpTest> tests() {
        // undefined (null) is iterable and a sequence in Jinja2 (iter() and len() accept it); None is neither
        return List.of(
                test("iterable", v -> v == null || v instanceof CharSequence || v instanceof Iterable<?> || v instanceof Map<?, ?> || v instanceof Object[]),
                test("sequence", v -> v == null || v instanceof CharSequence || (v instanceof Collection<?> && !(v instanceof PyValues.PyGenerator))
                        || v instanceof Map<?, ?> || v instanceof Object[]),
                test("mapping", v -> v instanceof Map<?, ?> && !(v instanceof com.hubspot.jinjava.objects.Namespace)),
                // Jinja2's Undefined is callable (calling it raises)
                test("callable", v -> v == null || PyFilters.callable(v)),
                test("lower", v -> (v instanceof String || v instanceof com.hubspot.jinjava.objects.SafeString)
                        && PythonMethods.isLower(v.toString())),
                test("upper", v -> (v instanceof String || v instanceof com.hubspot.jinjava.objects.SafeString)
                        && PythonMethods.isUpper(v.toString())),
                test2("in", (v, arg) -> PyEnvironment.contains(arg, v)),
                test2("sameas", (v, arg) -> v == arg || (v instanceof Boolean && v.equals(arg))),
                test("none", v -> v == PyValues.NONE),
                test("defined", v -> v != null),
                test("undefined", v -> v == null),
                test("string", v -> v instanceof String || v instanceof com.hubspot.jinjava.objects.SafeString),
                test("number", PyValues::isNumeric),
                test("integer", v -> v instanceof Number && !(v instanceof Double || v instanceof Float || v instanceof java.math.BigDecimal)),
                test("float", v -> v instanceof Double || v instanceof Float || v instanceof java.math.BigDecimal),
                test("boolean", v -> v instanceof Boolean),
                test("true", v -> Boolean.TRUE.equals(v)),
                test("false", v -> Boolean.FALSE.equals(v)));
    }

    private static ExpTest test2(String name, java.util.function.BiPredicate<Object, Object> p) {
        return new ExpTest() {
            @Override public String getName() { return name; }
            @Override public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
                if (args == null || args.length != 1) throw new PyValues.PyError("TypeError: test '" + name + "' takes one argument");
                return p.test(var, args[0]);
            }
        };
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
            if (kind == '%' && isRaw(body)) {
                // copied verbatim up to the end of {% endraw %} (or the end of the text)
                int stop = rawEnd(t, end);
                out.append(t, bodyStart, stop);
                i = stop;
                continue;
            }
            String rewritten = rewriteSlices(tokens(rewriteNone(tokens(rewriteNot(tokens(body))))));
            out.append(kind == '{' ? expressionBody(rewritten) : rewritten);
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

    /**
     * Index of the closing delimiter, skipping string literals and, as Jinja2's lexer does, any
     * delimiter inside open brackets ({@code {{ {'a': {'b': 1}}|tojson }}} ends at the last
     * {@code }}}); -1 if none.
     */
    private static int tagEnd(String t, int from, String close) {
        char quote = 0;
        int depth = 0;
        for (int k = from; k < t.length(); k++) {
            char c = t.charAt(k);
            if (quote != 0) {
                if (c == '\\') k++;
                else if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (depth == 0 && t.startsWith(close, k)) {
                return k;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
                depth--;
            }
        }
        return -1;
    }

    /**
     * An expression body made safe for Jinjava's tokenizer: a {@code }}} inside it (closing nested
     * dicts) is spaced apart, and an expression that starts with a minus after a space
     * ({@code {{ -x }}}, a negation in Jinja2, whitespace control only right after {@code {{})
     * is parenthesized.
     */
    static String expressionBody(String body) {
        StringBuilder sb = new StringBuilder(body.length() + 4);
        char quote = 0;
        for (int k = 0; k < body.length(); k++) {
            char c = body.charAt(k);
            sb.append(c);
            if (quote != 0) {
                if (c == '\\' && k + 1 < body.length()) sb.append(body.charAt(++k));
                else if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '}' && k + 1 < body.length() && body.charAt(k + 1) == '}') {
                sb.append(' ');
            }
        }
        String b = sb.toString();
        boolean left = b.startsWith("-");
        String rest = left ? b.substring(1) : b;
        String stripped = rest.stripTrailing();
        boolean right = stripped.endsWith("-") && (stripped.length() < 2 || stripped.charAt(stripped.length() - 2) != '-' || stripped.isBlank());
        String expr = right ? stripped.substring(0, stripped.length() - 1) : rest;
        if (!expr.isEmpty() && Character.isWhitespace(expr.charAt(0)) && expr.strip().startsWith("-")) {
            return (left ? "-" : "") + " (" + expr.strip() + ") " + (right ? "-" : "");
        }
        return b;
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

    /**
     * {@code none} and {@code None} (not as the test name after {@code is}, nor as an attribute)
     * become {@link #NONE_VARIABLE}: Jinjava reads the literal as null, which is undefined here.
     * {@code True}/{@code False} become {@code true}/{@code false}.
     */
    static String rewriteNone(List<String> tok) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < tok.size(); i++) {
            String w = tok.get(i);
            String prev = neighbour(tok, i, -1);
            boolean attribute = i > 0 && tok.get(i - 1).equals(".");
            boolean testName = "is".equals(prev) || ("not".equals(prev) && "is".equals(neighbour(tok, indexOfPrev(tok, i), -1)));
            if ((w.equals("none") || w.equals("None")) && !attribute && !testName) sb.append(NONE_VARIABLE);
            else if ((w.equals("True") || w.equals("False")) && !attribute && !testName) sb.append(w.toLowerCase(java.util.Locale.ROOT));
            else if (w.equals(".") && i + 1 < tok.size() && tok.get(i + 1).chars().allMatch(Character::isDigit) && i > 0
                    && (tok.get(i - 1).equals(")") || tok.get(i - 1).equals("]") || (isWord(tok.get(i - 1)) && !Character.isDigit(tok.get(i - 1).charAt(0))))) {
                sb.append('[').append(tok.get(i + 1)).append(']'); // x.0 is x[0] (getattr, then the item)
                i++;
            }
            else if (w.equals("+") && i + 1 < tok.size() && Character.isDigit(tok.get(i + 1).charAt(0)) && prev != null
                    && (prev.equals(")") || prev.equals("]") || prev.startsWith("'") || prev.startsWith("\"") || (isWord(prev) && !KEYWORDS.contains(prev))))
                sb.append("+ "); // binary plus: Jinjava scans "+1" as a unary plus token
            else sb.append(w);
        }
        return sb.toString();
    }

    private static int indexOfPrev(List<String> tok, int i) {
        for (int k = i - 1; k >= 0; k--) if (!tok.get(k).isBlank()) return k;
        return -1;
    }

    /**
     * Python slices with any bounds and step ({@code xs[:n+1]}, {@code s[::2]}, {@code xs[::-1]}):
     * Jinjava parses only {@code [a:b]} with simple bounds, so each becomes a call of
     * {@link #SLICE_FUNCTION} on the whole postfix expression before the bracket.
     */
    static String rewriteSlices(List<String> tok) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < tok.size(); i++) {
            String w = tok.get(i);
            if (w.equals("[") && isSubscript(out)) {
                int close = matching(tok, i);
                if (close > 0) {
                    List<List<String>> parts = splitTopLevel(tok.subList(i + 1, close), ":");
                    if (parts.size() >= 2 && parts.size() <= 3) {
                        int start = primaryStart(out);
                        List<String> primary = new ArrayList<>(out.subList(start, out.size()));
                        out.subList(start, out.size()).clear();
                        StringBuilder call = new StringBuilder(SLICE_FUNCTION).append('(').append(String.join("", primary));
                        for (int p = 0; p < 3; p++) {
                            String part = p < parts.size() ? rewriteSlices(parts.get(p)).strip() : "";
                            call.append(", ").append(part.isEmpty() ? NONE_VARIABLE : "(" + part + ")");
                        }
                        out.add(call.append(')').toString());
                        i = close;
                        continue;
                    }
                }
            }
            out.add(w);
        }
        return String.join("", out);
    }

    private static boolean isSubscript(List<String> out) {
        if (out.isEmpty()) return false;
        String p = out.get(out.size() - 1);
        return p.equals(")") || p.equals("]") || p.startsWith("'") || p.startsWith("\"") || (isWord(p) && !KEYWORDS.contains(p));
    }

    private static final java.util.Set<String> KEYWORDS = java.util.Set.of("in", "and", "or", "not", "if", "else", "is", "for", "set", "elif");

    private static boolean isWord(String t) {
        return !t.isEmpty() && Character.isJavaIdentifierPart(t.charAt(0));
    }

    /** Where the postfix expression ending the token list starts (an atom, then .name, [..] and (..)). */
    private static int primaryStart(List<String> out) {
        int k = out.size() - 1;
        while (k >= 0) {
            String t = out.get(k);
            if (t.equals(")") || t.equals("]")) {
                int open = matchingBack(out, k);
                if (open < 0) return k + 1;
                int j = open - 1;
                if (j >= 0 && (out.get(j).equals(")") || out.get(j).equals("]") || out.get(j).startsWith("'") || out.get(j).startsWith("\"")
                        || (isWord(out.get(j)) && !KEYWORDS.contains(out.get(j))))) {
                    k = j;
                    continue;
                }
                return open;
            }
            if (isWord(t) || t.startsWith("'") || t.startsWith("\"")) {
                if (k >= 2 && out.get(k - 1).equals(".")) { k -= 2; continue; }
                return k;
            }
            return k + 1;
        }
        return 0;
    }

    private static int matching(List<String> tok, int open) {
        int depth = 0;
        for (int k = open; k < tok.size(); k++) {
            String t = tok.get(k);
            if (t.equals("(") || t.equals("[") || t.equals("{")) depth++;
            else if (t.equals(")") || t.equals("]") || t.equals("}")) if (--depth == 0) return k;
        }
        return -1;
    }

    private static int matchingBack(List<String> tok, int close) {
        int depth = 0;
        for (int k = close; k >= 0; k--) {
            String t = tok.get(k);
            if (t.equals(")") || t.equals("]") || t.equals("}")) depth++;
            else if (t.equals("(") || t.equals("[") || t.equals("{")) if (--depth == 0) return k;
        }
        return -1;
    }

    private static List<List<String>> splitTopLevel(List<String> tok, String sep) {
        List<List<String>> parts = new ArrayList<>();
        int depth = 0, start = 0;
        for (int k = 0; k < tok.size(); k++) {
            String t = tok.get(k);
            if (t.equals("(") || t.equals("[") || t.equals("{")) depth++;
            else if (t.equals(")") || t.equals("]") || t.equals("}")) depth--;
            else if (t.equals(sep) && depth == 0) {
                parts.add(tok.subList(start, k));
                start = k + 1;
            }
        }
        parts.add(tok.subList(start, tok.size()));
        return parts;
    }

    /** Index of the keyword (as a whole word, outside brackets and strings) in an expression, or -1. */
    static int topLevelKeyword(String expr, String keyword) {
        int depth = 0, pos = 0;
        for (String t : tokens(expr)) {
            if (t.equals("(") || t.equals("[") || t.equals("{")) depth++;
            else if (t.equals(")") || t.equals("]") || t.equals("}")) depth--;
            else if (depth == 0 && t.equals(keyword)) return pos;
            pos += t.length();
        }
        return -1;
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
