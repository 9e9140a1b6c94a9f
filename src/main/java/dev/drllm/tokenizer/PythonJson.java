package dev.drllm.tokenizer;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code json.dumps(x, ensure_ascii=False)} byte for byte: {@code ", "} and {@code ": "}
 * separators (or {@code ","} and newlines when indented), non-ASCII kept, Python float repr.
 * Tool schemas rendered into prompts must match what transformers produced at training time.
 */
final class PythonJson {
    private PythonJson() {}

    static String dumps(Object value, Integer indent, boolean sortKeys) {
        return dumps(value, indent == null ? null : " ".repeat(indent), sortKeys, false, indent == null ? ", " : ",", ": ");
    }

    /** {@code json.dumps} with all of its layout options; indent is the text of one level, or null. */
    static String dumps(Object value, String indent, boolean sortKeys, boolean ensureAscii, String itemSep, String keySep) {
        StringBuilder sb = new StringBuilder();
        new Writer(indent, sortKeys, ensureAscii, itemSep, keySep).write(sb, value, 0);
        return sb.toString();
    }

    /** json.dumps of a float: repr, with Infinity / -Infinity / NaN as Python writes them. */
    static String jsonFloat(double d) {
        if (Double.isNaN(d)) return "NaN";
        if (Double.isInfinite(d)) return d > 0 ? "Infinity" : "-Infinity";
        return PyValues.floatStr(d);
    }

    private record Writer(String indent, boolean sortKeys, boolean ensureAscii, String itemSep, String keySep) {
        void write(StringBuilder sb, Object v, int depth) {
            if (depth > 1000) throw new PyValues.PyError("RecursionError: maximum recursion depth exceeded while encoding a JSON object");
            if (sb.length() > PythonMethods.MAX_CHARS) throw new PyValues.PyError("tojson result exceeds " + PythonMethods.MAX_CHARS + " chars");
            if (v == null) throw new PyValues.PyError("TypeError: Object of type Undefined is not JSON serializable");
            else if (v == PyValues.NONE) sb.append("null");
            else if (v instanceof PyValues.PyGenerator || v instanceof PyValues.PyRange || v instanceof PyValues.PyMethod)
                throw new PyValues.PyError("TypeError: Object of type " + PyValues.typeName(v) + " is not JSON serializable");
            else if (v instanceof CharSequence || v instanceof com.hubspot.jinjava.objects.SafeString) string(sb, v.toString(), ensureAscii);
            else if (v instanceof Boolean b) sb.append(b ? "true" : "false");
            else if (v instanceof Double || v instanceof Float) sb.append(jsonFloat(((Number) v).doubleValue()));
            else if (v instanceof BigDecimal d) sb.append(pyFloat(d.doubleValue()));
            else if (v instanceof Number n) sb.append(n.toString());
            else if (v instanceof Map<?, ?> m) {
                if (m.isEmpty()) { sb.append("{}"); return; }
                List<Map.Entry<?, ?>> entries = new ArrayList<>(m.entrySet());
                if (sortKeys) entries.sort((a, b) -> String.valueOf(a.getKey()).compareTo(String.valueOf(b.getKey())));
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : entries) {
                    if (!first) sb.append(itemSep);
                    first = false;
                    newline(sb, depth + 1);
                    Object k = e.getKey();
                    // json.dumps turns int, float, bool and None keys into strings
                    string(sb, k instanceof String ks ? ks : k == PyValues.NONE || k == null ? "null" : k instanceof Boolean b ? (b ? "true" : "false")
                            : k instanceof Double || k instanceof Float ? pyFloat(((Number) k).doubleValue()) : String.valueOf(k), ensureAscii);
                    sb.append(keySep);
                    write(sb, e.getValue(), depth + 1);
                }
                newline(sb, depth);
                sb.append('}');
            } else if (v instanceof Collection<?> c) {
                if (c.isEmpty()) { sb.append("[]"); return; }
                sb.append('[');
                boolean first = true;
                for (Object o : c) {
                    if (!first) sb.append(itemSep);
                    first = false;
                    newline(sb, depth + 1);
                    write(sb, o, depth + 1);
                }
                newline(sb, depth);
                sb.append(']');
            } else if (v instanceof Object[] arr) {
                write(sb, List.of(arr), depth);
            } else {
                throw new PyValues.PyError("TypeError: Object of type " + PyValues.typeName(v) + " is not JSON serializable");
            }
        }

        private void newline(StringBuilder sb, int depth) {
            if (indent == null) return;
            sb.append('\n');
            sb.append(indent.repeat(depth));
        }
    }

    private static void string(StringBuilder sb, String s, boolean ensureAscii) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || (ensureAscii && c > 0x7e)) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }

    /** Python's float repr: shortest round-trip digits, exponent form outside [1e-4, 1e16). */
    static String pyFloat(double d) {
        if (Double.isNaN(d)) return "NaN";
        if (Double.isInfinite(d)) return d > 0 ? "Infinity" : "-Infinity";
        if (d == Math.rint(d) && Math.abs(d) < 1e16) {
            return new BigDecimal(d).toPlainString() + ".0";
        }
        BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        double abs = Math.abs(d);
        if (abs >= 1e-4 && abs < 1e16) return bd.toPlainString();
        String digits = bd.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - bd.scale();
        String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return (d < 0 ? "-" : "") + mant + "e" + (exp < 0 ? "-" : "+") + String.format("%02d", Math.abs(exp));
    }
}
