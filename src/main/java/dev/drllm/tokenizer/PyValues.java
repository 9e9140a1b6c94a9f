package dev.drllm.tokenizer;

import com.hubspot.jinjava.objects.SafeString;
import com.hubspot.jinjava.util.HasObjectTruthValue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Python's values as Jinja2 sees them, for the places where Jinjava's Java values print or behave
 * differently: {@code None} as a value distinct from undefined (Jinjava has only null, which here
 * means undefined), tuples, generators (what {@code map}/{@code select} return), and Python's
 * {@code str()} / {@code repr()} of every value ({@code True}, {@code None}, {@code 1e+16},
 * {@code {'a': [1, 'x']}}).
 */
final class PyValues {
    private PyValues() {}

    /** Python's None: defined, falsy, printed "None", {@code null} in JSON. */
    static final class PyNone implements HasObjectTruthValue {
        private PyNone() {}

        @Override public boolean getObjectTruthValue() { return false; }

        @Override public String toString() { return "None"; }
    }

    static final PyNone NONE = new PyNone();

    /** A tuple: an immutable list printed with parentheses ({@code dict.items()}, {@code dictsort}). */
    static class PyTuple extends AbstractList<Object> implements com.hubspot.jinjava.objects.PyWrapper {
        private final Object[] items;

        PyTuple(Object... items) { this.items = items.clone(); }

        @Override public Object get(int index) { return items[index]; }

        @Override public int size() { return items.length; }

        @Override public String toString() { return repr(this); }
    }

    /**
     * What Jinja2's {@code map}, {@code select}, {@code reject}, {@code selectattr} and
     * {@code rejectattr} return: a generator. It iterates like the list it wraps, but is always
     * true, has no length and is no JSON ({@code tools|map(...)|tojson} raises in Jinja2).
     */
    static final class PyGenerator extends AbstractList<Object> implements HasObjectTruthValue, com.hubspot.jinjava.objects.PyWrapper {
        private final List<Object> items;

        PyGenerator(Collection<?> items) { this.items = new ArrayList<>(items); }

        @Override public Object get(int index) { return items.get(index); }

        @Override public int size() { return items.size(); }

        @Override public boolean getObjectTruthValue() { return true; }

        @Override public String toString() { return "<generator object>"; }
    }

    /**
     * A bound method read as an attribute ({@code d.items} without a call): what Jinja2 finds first
     * for {@code obj.name} when the object has such a method, before the dict's key of that name.
     * Callable and true; it has no attributes.
     */
    record PyMethod(String type, String name) implements HasObjectTruthValue {
        @Override public boolean getObjectTruthValue() { return true; }

        @Override public String toString() { return "<built-in method " + name + " of " + type + " object>"; }
    }

    /** The dict methods the immutable sandbox lets a template read; the others are unsafe (undefined). */
    private static final java.util.Set<String> SAFE_DICT_METHODS = java.util.Set.of("copy", "fromkeys", "get", "items", "keys", "values");

    static final java.util.Set<String> DICT_METHODS = java.util.Set.of("copy", "fromkeys", "get", "items", "keys", "values",
            "clear", "pop", "popitem", "setdefault", "update");

    /** {@code getattr(d, name)} in the sandbox: a bound method for a safe dict method, else undefined (null). */
    static Object dictAttribute(Map<?, ?> m, String name) {
        return SAFE_DICT_METHODS.contains(name) ? new PyMethod("dict", name) : null;
    }

    /** What Jinja2's {@code groupby} yields: a (grouper, list) tuple with those two attributes. */
    static final class PyGroup extends PyTuple {
        PyGroup(Object grouper, List<Object> list) { super(grouper, list); }

        Object grouper() { return get(0); }

        Object list() { return get(1); }
    }

    /**
     * Python's {@code range(start, stop, step)}: a sequence printed as {@code range(0, 3)}, at most
     * 100,000 items as in Jinja2's sandbox (MAX_RANGE).
     */
    static final class PyRange extends AbstractList<Object> implements com.hubspot.jinjava.objects.PyWrapper {
        private final long start, stop, step;
        private final int size;

        PyRange(long start, long stop, long step) {
            if (step == 0) throw new PyError("ValueError: range() arg 3 must not be zero");
            this.start = start;
            this.stop = stop;
            this.step = step;
            long n = step > 0 ? (stop > start ? (stop - start + step - 1) / step : 0) : (start > stop ? (start - stop - step - 1) / -step : 0);
            if (n > 100_000) throw new PyError("OverflowError: Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).");
            this.size = (int) n;
        }

        @Override public Object get(int index) {
            if (index < 0 || index >= size) throw new IndexOutOfBoundsException(index);
            return start + index * step;
        }

        @Override public int size() { return size; }

        @Override public String toString() { return "range(" + start + ", " + stop + (step == 1 ? "" : ", " + step) + ")"; }
    }

    /** {@code range(stop)}, {@code range(start, stop)}, {@code range(start, stop, step)}: integers only. */
    public static Object range(Object... args) {
        if (args == null || args.length == 0 || args.length > 3) throw new PyError("TypeError: range expected 1 to 3 arguments");
        long[] v = new long[args.length];
        for (int i = 0; i < args.length; i++) {
            if (!PyNumbers.isInt(args[i])) throw new PyError("TypeError: '" + typeName(args[i]) + "' object cannot be interpreted as an integer");
            v[i] = PyNumbers.asLong(args[i]);
        }
        return args.length == 1 ? new PyRange(0, v[0], 1) : new PyRange(v[0], v[1], args.length == 3 ? v[2] : 1);
    }

    /** Thrown where Python raises (a TypeError, an UndefinedError, a SecurityError). */
    static final class PyError extends RuntimeException {
        PyError(String message) { super(message); }
    }

    /** Input from the caller (messages, tools, variables) with JSON null as None and lists copied. */
    static Object fromJava(Object v) {
        if (v == null) return NONE;
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) out.put(e.getKey(), fromJava(e.getValue()));
            return out;
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            for (Object o : c) out.add(fromJava(o));
            return out;
        }
        if (v instanceof Object[] arr) return fromJava(List.of(arr));
        return v;
    }

    static boolean isNone(Object v) { return v == NONE; }

    /** Python's type name, for error messages. */
    static String typeName(Object v) {
        if (v == null) return "Undefined";
        if (v == NONE) return "NoneType";
        if (v instanceof CharSequence || v instanceof SafeString) return "str";
        if (v instanceof Boolean) return "bool";
        if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) return "float";
        if (v instanceof Number) return "int";
        if (v instanceof PyTuple) return "tuple";
        if (v instanceof PyGenerator) return "generator";
        if (v instanceof PyRange) return "range";
        if (v instanceof com.hubspot.jinjava.objects.Namespace) return "Namespace";
        if (v instanceof Map) return "dict";
        if (v instanceof Collection) return "list";
        return v.getClass().getSimpleName();
    }

    /** Python's {@code str(v)}; undefined prints as nothing, as in Jinja2. */
    static String str(Object v) {
        if (v == null) return "";
        if (v instanceof String s) return s;
        if (v instanceof SafeString s) return s.toString();
        if (v instanceof Boolean b) return b ? "True" : "False";
        if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) return floatStr(((Number) v).doubleValue());
        if (v instanceof Number || v instanceof CharSequence || v == NONE) return v.toString();
        if (v instanceof Map<?, ?> || v instanceof Collection<?>) return repr(v);
        return v.toString();
    }

    /** A namespace's attributes as a plain dict (for its repr). */
    private static Map<Object, Object> namespaceItems(com.hubspot.jinjava.objects.Namespace ns) {
        return new LinkedHashMap<>(ns);
    }

    /** Python's {@code repr(v)}. */
    static String repr(Object v) {
        StringBuilder sb = new StringBuilder();
        repr(sb, v, 0);
        return sb.toString();
    }

    private static void repr(StringBuilder sb, Object v, int depth) {
        if (depth > 200) throw new PyError("RecursionError: maximum recursion depth exceeded while getting the repr of an object");
        if (sb.length() > PythonMethods.MAX_CHARS) throw new PyError("repr of " + sb.length() + "+ chars exceeds " + PythonMethods.MAX_CHARS);
        if (v == null) sb.append("Undefined");
        else if (v instanceof String || v instanceof SafeString) quote(sb, v.toString());
        else if (v instanceof com.hubspot.jinjava.objects.Namespace ns) {
            sb.append("<Namespace ");
            repr(sb, namespaceItems(ns), depth + 1);
            sb.append('>');
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) sb.append(", ");
                first = false;
                repr(sb, e.getKey(), depth + 1);
                sb.append(": ");
                repr(sb, e.getValue(), depth + 1);
            }
            sb.append('}');
        } else if (v instanceof PyTuple t) {
            sb.append('(');
            for (int i = 0; i < t.size(); i++) {
                if (i > 0) sb.append(", ");
                repr(sb, t.get(i), depth + 1);
            }
            sb.append(t.size() == 1 ? ",)" : ")");
        } else if (v instanceof PyGenerator || v instanceof PyRange) {
            sb.append(v);
        } else if (v instanceof Collection<?> c) {
            sb.append('[');
            boolean first = true;
            for (Object o : c) {
                if (!first) sb.append(", ");
                first = false;
                repr(sb, o, depth + 1);
            }
            sb.append(']');
        } else {
            sb.append(str(v));
        }
    }

    /** Python's string repr: single quotes unless the text has ' and no ", escapes for what is not printable. */
    private static void quote(StringBuilder sb, String s) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        sb.append(q);
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (c == q || c == '\\') sb.append('\\').appendCodePoint(c);
            else if (c == '\n') sb.append("\\n");
            else if (c == '\r') sb.append("\\r");
            else if (c == '\t') sb.append("\\t");
            else if (c < 0x20 || c == 0x7f) sb.append(String.format("\\x%02x", c));
            else if (!printable(c)) {
                if (c <= 0xff) sb.append(String.format("\\x%02x", c));
                else if (c <= 0xffff) sb.append(String.format("\\u%04x", c));
                else sb.append(String.format("\\U%08x", c));
            } else sb.appendCodePoint(c);
        }
        sb.append(q);
    }

    /** Python's str.isprintable for one code point: not a control, format, separator (but space), surrogate or unassigned. */
    private static boolean printable(int c) {
        if (c == ' ') return true;
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
                 Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }

    /** Python's float str/repr: shortest round trip, 'inf' / 'nan'. */
    static String floatStr(double d) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        if (d == 0 && 1 / d < 0) return "-0.0";
        return PythonJson.pyFloat(d);
    }

    /** Python's truthiness. */
    static boolean truthy(Object v) {
        if (v == null || v == NONE) return false;
        if (v instanceof HasObjectTruthValue h) return h.getObjectTruthValue();
        if (v instanceof Boolean b) return b;
        if (v instanceof BigDecimal d) return d.signum() != 0;
        if (v instanceof BigInteger i) return i.signum() != 0;
        if (v instanceof Number n) return n.doubleValue() != 0;
        if (v instanceof CharSequence s) return !s.isEmpty();
        if (v instanceof SafeString s) return !s.toString().isEmpty();
        if (v instanceof Collection<?> c) return !c.isEmpty();
        if (v instanceof Map<?, ?> m) return !m.isEmpty();
        return true;
    }

    /** Python's {@code a == b}: numbers by value (True == 1), no coercion between strings and numbers. */
    static boolean pyEquals(Object a, Object b) {
        if (a == null || b == null) return a == b;
        if (a instanceof SafeString) a = a.toString();
        if (b instanceof SafeString) b = b.toString();
        if (isNumeric(a) && isNumeric(b)) return toBigDecimal(a).compareTo(toBigDecimal(b)) == 0;
        if (a instanceof String || b instanceof String) return a.equals(b);
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            if (ma.size() != mb.size()) return false;
            for (Map.Entry<?, ?> e : ma.entrySet()) {
                if (!mb.containsKey(e.getKey()) || !pyEquals(e.getValue(), mb.get(e.getKey()))) return false;
            }
            return true;
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            if ((a instanceof PyTuple) != (b instanceof PyTuple) || la.size() != lb.size()) return false;
            for (int i = 0; i < la.size(); i++) if (!pyEquals(la.get(i), lb.get(i))) return false;
            return true;
        }
        return a.equals(b);
    }

    static boolean isNumeric(Object o) {
        return o instanceof Number || o instanceof Boolean;
    }

    static BigDecimal toBigDecimal(Object o) {
        if (o instanceof Boolean b) return b ? BigDecimal.ONE : BigDecimal.ZERO;
        if (o instanceof BigDecimal d) return d;
        if (o instanceof BigInteger i) return new BigDecimal(i);
        if (o instanceof Double || o instanceof Float) {
            double d = ((Number) o).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) return d > 0 ? BigDecimal.valueOf(Double.MAX_VALUE).multiply(BigDecimal.TEN) : BigDecimal.valueOf(-Double.MAX_VALUE).multiply(BigDecimal.TEN);
            return new BigDecimal(d);
        }
        return BigDecimal.valueOf(((Number) o).longValue());
    }

    /** Python's {@code len()}. */
    static int len(Object v) {
        if (v == null) return 0; // Jinja2's Undefined has length 0
        if (v instanceof String s) return s.codePointCount(0, s.length());
        if (v instanceof SafeString s) return s.toString().codePointCount(0, s.toString().length());
        if (v instanceof PyGenerator) throw new PyError("TypeError: object of type 'generator' has no len()");
        if (v instanceof Collection<?> c) return c.size();
        if (v instanceof Map<?, ?> m) return m.size();
        if (v instanceof Object[] a) return a.length;
        throw new PyError("TypeError: object of type '" + typeName(v) + "' has no len()");
    }
}
