package dev.drllm.tokenizer;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.AdvancedFilter;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.objects.SafeString;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Jinja2's filters where Jinjava's differ (each written after Jinja2 3.1's {@code filters.py}):
 * {@code list}, {@code first}/{@code last}, {@code dictsort}, {@code unique}, {@code sort},
 * {@code groupby}, {@code map}/{@code select}/{@code reject}/{@code selectattr}/{@code rejectattr}
 * (dotted attributes, a default, a test or filter by name, generators out), {@code attr},
 * {@code replace} with a count, {@code truncate}, {@code striptags}, {@code escape},
 * {@code int}/{@code float}, {@code format} (printf-style). Item and attribute lookups follow
 * Jinja2's {@code getitem}: the key first, then the attribute.
 */
final class PyFilters {
    private PyFilters() {}

    @FunctionalInterface
    interface Body {
        Object apply(Object var, JinjavaInterpreter interpreter, Args args);
    }

    /** A filter's arguments, by position or by name, as Python binds them. */
    record Args(Object[] positional, Map<String, Object> named) {
        /** Jinjava's arguments of a filter call (either may be null). */
        static Args of(Object[] args, Map<String, Object> kwargs) {
            return new Args(args == null ? new Object[0] : args, kwargs == null ? Map.of() : kwargs);
        }

        Object get(int i, String name, Object dflt) {
            if (named.containsKey(name)) return named.get(name);
            return i >= 0 && i < positional.length ? positional[i] : dflt;
        }

        boolean has(int i, String name) { return named.containsKey(name) || (i >= 0 && i < positional.length); }
    }

    /** Registers filter {@code name} (replacing Jinjava's of that name), its arguments bound as Python binds them. */
    static void register(Jinjava jinjava, String name, Body body) {
        jinjava.registerFilter(new AdvancedFilter() {
            @Override public String getName() { return name; }

            @Override
            public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
                return body.apply(var, interpreter, Args.of(args, kwargs));
            }
        });
    }

    /** Python's iteration of a value: dict keys, string characters (by code point), items; undefined is empty. */
    static List<Object> iterate(Object v) {
        if (v == null) return List.of();
        List<Object> out = new ArrayList<>();
        if (v instanceof Map<?, ?> m) out.addAll(m.keySet());
        else if (v instanceof String || v instanceof SafeString) v.toString().codePoints().forEach(c -> out.add(Character.toString(c)));
        else if (v instanceof Iterable<?> it) for (Object o : it) out.add(o);
        else if (v instanceof Iterator<?> it) it.forEachRemaining(out::add);
        else throw new PyValues.PyError("TypeError: '" + PyValues.typeName(v) + "' object is not iterable");
        return out;
    }

    /** Jinja2's {@code environment.getitem(obj, key)}: the item, else the attribute (a dict's methods), else undefined (null). */
    static Object getItem(Object obj, Object key) {
        if (obj == null || obj == PyValues.NONE) return null;
        if (obj instanceof com.hubspot.jinjava.objects.Namespace ns) return key instanceof String k && ns.containsKey(k) ? ns.get(k) : null;
        if (obj instanceof Map<?, ?> m) {
            if (m.containsKey(key)) return m.get(key);
            for (Map.Entry<?, ?> e : m.entrySet()) if (PyValues.pyEquals(e.getKey(), key)) return e.getValue();
            return key instanceof String k ? PyValues.dictAttribute(m, k) : null;
        }
        if ((obj instanceof List<?> || obj instanceof String || obj instanceof SafeString) && PyNumbers.isInt(key) && !(key instanceof Boolean && false)) {
            List<Object> items = obj instanceof List<?> l ? new ArrayList<>(l) : iterate(obj);
            long i = PyNumbers.asLong(key instanceof BigInteger b ? (b.bitLength() < 63 ? b.longValue() : Long.MAX_VALUE) : key);
            if (i < 0) i += items.size();
            return i < 0 || i >= items.size() ? null : items.get((int) i);
        }
        return null;
    }

    /** Jinja2's make_attrgetter: {@code 'a.b.0'} looks up a, then b, then item 0 (digits as an index). */
    static Object attribute(Object obj, Object path) {
        if (path == null) return obj;
        if (PyNumbers.isInt(path)) return getItem(obj, path);
        Object v = obj;
        for (String part : PyValues.str(path).split("\\.", -1)) {
            Object key = part.chars().allMatch(Character::isDigit) && !part.isEmpty() ? (Object) Long.parseLong(part) : part;
            v = getItem(v, key);
            if (v == null) return null;
        }
        return v;
    }

    private static Object lowerIfString(Object v, boolean caseSensitive) {
        return !caseSensitive && (v instanceof String || v instanceof SafeString) ? v.toString().toLowerCase(Locale.ROOT) : v;
    }

    /** Python's sort key comparison (stable sort), failing as Python fails on mixed types. */
    private static int order(Object a, Object b) {
        int c = PyNumbers.compare(a, b, "<");
        return c == 2 ? 0 : c;
    }

    static ExpTest test(JinjavaInterpreter interpreter, String name) {
        if (!PyEnvironment.JINJA2_TESTS.contains(name)) throw new PyValues.PyError("TemplateRuntimeError: No test named '" + name + "'.");
        ExpTest t = interpreter.getContext().getExpTest(name);
        if (t == null) throw new PyValues.PyError("TemplateRuntimeError: No test named '" + name + "'.");
        return t;
    }

    /** select / reject / selectattr / rejectattr, Jinja2's select_or_reject. */
    private static Object selectOrReject(Object var, JinjavaInterpreter interpreter, Args a, boolean attr, boolean select) {
        Object[] p = a.positional();
        int k = 0;
        Object attribute = attr ? (p.length > 0 ? p[k++] : null) : null;
        if (attr && attribute == null) throw new PyValues.PyError("FilterArgumentError: Missing parameter for attribute name");
        String testName = p.length > k ? PyValues.str(p[k++]) : null;
        Object[] testArgs = new Object[Math.max(0, p.length - k)];
        System.arraycopy(p, Math.min(k, p.length), testArgs, 0, testArgs.length);
        ExpTest t = testName == null ? null : test(interpreter, testName);
        List<Object> out = new ArrayList<>();
        if (!PyValues.truthy(var)) return new PyValues.PyGenerator(out); // Jinja2: `if seq:` before iterating
        for (Object item : iterate(var)) {
            Object v = attr ? attribute(item, attribute) : item;
            boolean ok = t == null ? PyValues.truthy(v) : t.evaluate(v, interpreter, testArgs);
            if (ok == select) out.add(item);
        }
        return new PyValues.PyGenerator(out);
    }

    static void register(Jinjava jinjava) {
        register(jinjava, "list", (v, i, a) -> {
            if (v instanceof Map<?, ?> || v instanceof Iterable<?> || v instanceof String || v instanceof SafeString || v == null) return iterate(v);
            throw new PyValues.PyError("TypeError: '" + PyValues.typeName(v) + "' object is not iterable");
        });
        register(jinjava, "first", (v, i, a) -> {
            List<Object> items = iterate(v);
            return items.isEmpty() ? null : items.get(0);
        });
        register(jinjava, "last", (v, i, a) -> {
            if (v instanceof Map<?, ?> || v instanceof PyValues.PyGenerator) throw new PyValues.PyError("TypeError: '" + PyValues.typeName(v) + "' object is not reversible");
            List<Object> items = iterate(v);
            return items.isEmpty() ? null : items.get(items.size() - 1);
        });
        register(jinjava, "reverse", (v, i, a) -> {
            if (v instanceof String || v instanceof SafeString) return new StringBuilder(v.toString()).reverse().toString();
            List<Object> items = iterate(v);
            java.util.Collections.reverse(items);
            return new PyValues.PyGenerator(items);
        });
        register(jinjava, "dictsort", (v, i, a) -> {
            if (!(v instanceof Map<?, ?> m)) throw new PyValues.PyError("AttributeError: '" + PyValues.typeName(v) + "' object has no attribute 'items'");
            boolean caseSensitive = PyValues.truthy(a.get(0, "case_sensitive", false));
            String by = PyValues.str(a.get(1, "by", "key"));
            boolean reverse = PyValues.truthy(a.get(2, "reverse", false));
            int pos = switch (by) {
                case "key" -> 0;
                case "value" -> 1;
                default -> throw new PyValues.PyError("FilterArgumentError: You can only sort by either \"key\" or \"value\"");
            };
            List<Object> items = new ArrayList<>();
            for (Map.Entry<?, ?> e : m.entrySet()) items.add(new PyValues.PyTuple(e.getKey(), e.getValue()));
            java.util.Comparator<Object> cmp = (x, y) -> order(lowerIfString(((List<?>) x).get(pos), caseSensitive), lowerIfString(((List<?>) y).get(pos), caseSensitive));
            items.sort(reverse ? cmp.reversed() : cmp); // stable either way, as Python's sorted(reverse=True)
            return items;
        });
        register(jinjava, "sort", (v, i, a) -> {
            boolean reverse = PyValues.truthy(a.get(0, "reverse", false));
            boolean caseSensitive = PyValues.truthy(a.get(1, "case_sensitive", false));
            Object attr = a.get(2, "attribute", null);
            List<Object> items = iterate(v);
            List<String> attrs = attr instanceof String s ? List.of(s.split(",")) : attr == null ? List.of() : List.of(PyValues.str(attr));
            java.util.Comparator<Object> cmp = (x, y) -> {
                if (attrs.isEmpty()) return order(lowerIfString(x, caseSensitive), lowerIfString(y, caseSensitive));
                for (String at : attrs) {
                    int c = order(lowerIfString(attribute(x, at.strip()), caseSensitive), lowerIfString(attribute(y, at.strip()), caseSensitive));
                    if (c != 0) return c;
                }
                return 0;
            };
            items.sort(reverse ? cmp.reversed() : cmp);
            return items;
        });
        register(jinjava, "unique", (v, i, a) -> {
            boolean caseSensitive = PyValues.truthy(a.get(0, "case_sensitive", false));
            Object attr = a.get(1, "attribute", null);
            List<Object> seen = new ArrayList<>(), out = new ArrayList<>();
            for (Object item : iterate(v)) {
                Object key = lowerIfString(attr == null ? item : attribute(item, attr), caseSensitive);
                boolean dup = false;
                for (Object s : seen) if (PyValues.pyEquals(s, key)) { dup = true; break; }
                if (!dup) { seen.add(key); out.add(item); }
            }
            return new PyValues.PyGenerator(out);
        });
        register(jinjava, "groupby", (v, i, a) -> {
            Object attr = a.get(0, "attribute", null);
            Object dflt = a.get(1, "default", null);
            boolean caseSensitive = PyValues.truthy(a.get(2, "case_sensitive", false));
            List<Object> items = iterate(v);
            java.util.function.Function<Object, Object> key = o -> {
                Object k = attribute(o, attr);
                return lowerIfString(k == null ? dflt : k, caseSensitive);
            };
            items.sort((x, y) -> order(key.apply(x), key.apply(y)));
            List<Object> groups = new ArrayList<>();
            Object current = null;
            List<Object> members = null;
            for (Object o : items) {
                Object k = key.apply(o);
                if (members == null || !PyValues.pyEquals(k, current)) {
                    if (members != null) groups.add(new PyValues.PyGroup(groupKey(current, members, attr, dflt, caseSensitive), members));
                    members = new ArrayList<>();
                    current = k;
                }
                members.add(o);
            }
            if (members != null) groups.add(new PyValues.PyGroup(groupKey(current, members, attr, dflt, caseSensitive), members));
            return groups;
        });
        register(jinjava, "map", (v, i, a) -> {
            List<Object> out = new ArrayList<>();
            if (!PyValues.truthy(v)) return new PyValues.PyGenerator(out); // Jinja2: `if value:` before iterating
            if (a.named().containsKey("attribute") || (a.positional().length == 0 && a.named().isEmpty())) {
                if (!a.named().containsKey("attribute")) throw new PyValues.PyError("FilterArgumentError: map requires a filter argument");
                Object attr = a.named().get("attribute");
                boolean hasDefault = a.named().containsKey("default");
                for (Object item : iterate(v)) {
                    Object x = attribute(item, attr);
                    out.add(x == null && hasDefault ? a.named().get("default") : x);
                }
                return new PyValues.PyGenerator(out);
            }
            String name = PyValues.str(a.positional()[0]);
            if (!PyEnvironment.JINJA2_FILTERS.contains(name)) throw new PyValues.PyError("TemplateRuntimeError: No filter named '" + name + "'.");
            Filter f = i.getContext().getFilter(name);
            if (f == null) throw new PyValues.PyError("TemplateRuntimeError: No filter named '" + name + "'.");
            Object[] rest = java.util.Arrays.copyOfRange(a.positional(), 1, a.positional().length);
            for (Object item : iterate(v)) out.add(f.filter(item, i, rest, a.named()));
            return new PyValues.PyGenerator(out);
        });
        register(jinjava, "select", (v, i, a) -> selectOrReject(v, i, a, false, true));
        register(jinjava, "reject", (v, i, a) -> selectOrReject(v, i, a, false, false));
        register(jinjava, "selectattr", (v, i, a) -> selectOrReject(v, i, a, true, true));
        register(jinjava, "rejectattr", (v, i, a) -> selectOrReject(v, i, a, true, false));
        register(jinjava, "attr", (v, i, a) -> {
            Object name = a.get(0, "name", null);
            // getattr only: a dict's keys are not its attributes
            if (v instanceof Map<?, ?> m && name instanceof String s && !(v instanceof com.hubspot.jinjava.objects.Namespace)) return PyValues.dictAttribute(m, s);
            if (v instanceof com.hubspot.jinjava.objects.Namespace ns) return ns.get(name);
            return null;
        });
        register(jinjava, "replace", (v, i, a) -> {
            String s = PyValues.str(v), old = PyValues.str(a.get(0, "old", "")), rep = PyValues.str(a.get(1, "new", ""));
            Object count = a.get(2, "count", null);
            return PythonMethods.replace(s, old, rep, count == null || count == PyValues.NONE ? -1 : (int) Math.max(-1, Math.min(Integer.MAX_VALUE, PyNumbers.asLong(count))));
        });
        register(jinjava, "truncate", (v, i, a) -> {
            String s = PyValues.str(v);
            long length = PyNumbers.asLong(a.get(0, "length", 255L));
            boolean killwords = PyValues.truthy(a.get(1, "killwords", false));
            String end = PyValues.str(a.get(2, "end", "..."));
            long leeway = PyNumbers.asLong(a.get(3, "leeway", 5L));
            if (length < end.length()) throw new PyValues.PyError("AssertionError: expected length >= " + end.length() + ", got " + length);
            if (leeway < 0) throw new PyValues.PyError("AssertionError: expected leeway >= 0, got " + leeway);
            int n = s.codePointCount(0, s.length());
            if (n <= length + leeway) return s;
            String head = s.substring(0, s.offsetByCodePoints(0, (int) (length - end.length())));
            if (killwords) return head + end;
            int sp = head.lastIndexOf(' ');
            return (sp < 0 ? "" : head.substring(0, sp)) + end;
        });
        register(jinjava, "striptags", (v, i, a) -> {
            String s = PyValues.str(v);
            s = s.replaceAll("(?s)<!--.*?-->", "").replaceAll("(?s)<[^>]*>", "");
            s = String.join(" ", PythonMethods.split(s, null, -1));
            return unescapeHtml(s);
        });
        for (String name : List.of("escape", "e", "forceescape")) {
            register(jinjava, name, (v, i, a) -> v instanceof SafeString && !name.equals("forceescape") ? v : new SafeString(PyEnvironment.escape(PyValues.str(v))));
        }
        register(jinjava, "int", (v, i, a) -> {
            Object dflt = a.get(0, "default", 0L);
            long base = PyNumbers.asLong(a.get(1, "base", 10L));
            if (v instanceof String || v instanceof SafeString) {
                String s = v.toString().strip().replace("_", "");
                try {
                    if (base == 16 && s.matches("(?i)[-+]?0x.*")) s = s.replaceFirst("(?i)0x", "");
                    else if (base == 8 && s.matches("(?i)[-+]?0o.*")) s = s.replaceFirst("(?i)0o", "");
                    else if (base == 2 && s.matches("(?i)[-+]?0b.*")) s = s.replaceFirst("(?i)0b", "");
                    return PyNumbers.norm(new BigInteger(s, (int) base));
                } catch (RuntimeException e) {
                    try {
                        double d = Double.parseDouble(v.toString().strip());
                        if (Double.isNaN(d) || Double.isInfinite(d)) return dflt;
                        return PyNumbers.norm(new BigDecimal(d).toBigInteger());
                    } catch (RuntimeException e2) {
                        return dflt;
                    }
                }
            }
            if (PyNumbers.isInt(v)) return PyNumbers.norm(PyNumbers.big(v));
            if (PyNumbers.isFloat(v)) {
                double d = PyNumbers.dbl(v);
                return Double.isNaN(d) || Double.isInfinite(d) ? dflt : PyNumbers.norm(new BigDecimal(d).toBigInteger());
            }
            return dflt;
        });
        register(jinjava, "float", (v, i, a) -> {
            Object dflt = a.get(0, "default", 0.0);
            if (PyValues.isNumeric(v)) return PyNumbers.dbl(v);
            if (v instanceof String || v instanceof SafeString) {
                String s = v.toString().strip().replace("_", "").toLowerCase(Locale.ROOT);
                if (s.matches("[-+]?(inf|infinity)")) return s.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                if (s.matches("[-+]?nan")) return Double.NaN;
                if (!s.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)(e[-+]?\\d+)?")) return dflt;
                return Double.parseDouble(s);
            }
            return dflt;
        });
        register(jinjava, "format", (v, i, a) -> {
            if (a.positional().length > 0 && !a.named().isEmpty())
                throw new PyValues.PyError("FilterArgumentError: can't handle positional and keyword arguments at the same time");
            Object args = !a.named().isEmpty() ? new LinkedHashMap<>(a.named()) : new PyValues.PyTuple(a.positional());
            return PyFormat.percent(PyValues.str(v), args);
        });
        // the string filters take str(value) first, as Jinja2's soft_str: ['a']|upper is "['A']"
        register(jinjava, "upper", (v, i, a) -> PyValues.str(v).toUpperCase(Locale.ROOT));
        register(jinjava, "lower", (v, i, a) -> PyValues.str(v).toLowerCase(Locale.ROOT));
        register(jinjava, "capitalize", (v, i, a) -> {
            String s = PyValues.str(v);
            if (s.isEmpty()) return s;
            int first = s.codePointAt(0);
            return Character.toString(Character.toTitleCase(first)) + s.substring(Character.charCount(first)).toLowerCase(Locale.ROOT);
        });
        register(jinjava, "title", (v, i, a) -> {
            // Jinja2's do_title: words start after '-', whitespace, '(', '{', '[' or '<'
            StringBuilder sb = new StringBuilder();
            for (String part : PyValues.str(v).split("(?<=[-\\s({\\[<])(?![-\\s({\\[<])|(?<![-\\s({\\[<])(?=[-\\s({\\[<])")) {
                if (part.isEmpty()) continue;
                int first = part.codePointAt(0);
                sb.append(Character.toString(Character.toUpperCase(first))).append(part.substring(Character.charCount(first)).toLowerCase(Locale.ROOT));
            }
            return sb.toString();
        });
        register(jinjava, "center", (v, i, a) -> {
            String s = PyValues.str(v);
            long width = PyNumbers.asLong(a.get(0, "width", 80L));
            int len = s.codePointCount(0, s.length());
            if (width <= len) return s;
            if (width > PythonMethods.MAX_CHARS) throw new PyValues.PyError("center width exceeds " + PythonMethods.MAX_CHARS);
            int total = (int) width - len, left = total / 2 + (total & (int) width & 1);
            return " ".repeat(left) + s + " ".repeat(total - left);
        });
        register(jinjava, "wordcount", (v, i, a) -> (long) java.util.regex.Pattern.compile("\\w+", java.util.regex.Pattern.UNICODE_CHARACTER_CLASS).matcher(PyValues.str(v)).results().count());
        register(jinjava, "pprint", (v, i, a) -> PyValues.repr(v)); // pprint.pformat; equal to repr below its 80-column wrap
        register(jinjava, "urlencode", (v, i, a) -> {
            if (v instanceof String || v instanceof SafeString) return quote(v.toString(), "/");
            Iterable<?> pairs = v instanceof Map<?, ?> m ? m.entrySet() : iterate(v);
            List<String> out = new ArrayList<>();
            for (Object p : pairs) {
                Object k = p instanceof Map.Entry<?, ?> e ? e.getKey() : iterate(p).get(0);
                Object val = p instanceof Map.Entry<?, ?> e ? e.getValue() : iterate(p).get(1);
                out.add(quote(PyValues.str(k), "").replace("%20", "+") + "=" + quote(PyValues.str(val), "").replace("%20", "+"));
            }
            return String.join("&", out);
        });
        register(jinjava, "xmlattr", (v, i, a) -> {
            if (!(v instanceof Map<?, ?> m)) throw new PyValues.PyError("AttributeError: '" + PyValues.typeName(v) + "' object has no attribute 'items'");
            boolean autospace = PyValues.truthy(a.get(0, "autospace", true));
            List<String> out = new ArrayList<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (e.getValue() == null || e.getValue() == PyValues.NONE) continue;
                String key = PyValues.str(e.getKey());
                if (key.matches(".*[\\s/>=].*")) throw new PyValues.PyError("ValueError: Invalid character in attribute name: " + PyValues.repr(key));
                out.add(PyEnvironment.escape(key) + "=\"" + PyEnvironment.escape(PyValues.str(e.getValue())) + "\"");
            }
            String r = String.join(" ", out);
            return new SafeString(autospace && !r.isEmpty() ? " " + r : r);
        });
        register(jinjava, "slice", (v, i, a) -> {
            long slices = PyNumbers.asLong(a.get(0, "slices", 1L));
            if (slices <= 0 || slices > (1 << 20)) throw new PyValues.PyError("ValueError: slice count must be positive");
            Object fill = a.get(1, "fill_with", null);
            List<Object> seq = iterate(v);
            int length = seq.size(), per = (int) (length / slices), extra = (int) (length % slices), offset = 0;
            List<Object> out = new ArrayList<>();
            for (int k = 0; k < slices; k++) {
                int start = offset + k * per;
                if (k < extra) offset++;
                int end = offset + (k + 1) * per;
                List<Object> part = new ArrayList<>(seq.subList(start, end));
                if (fill != null && k >= extra) part.add(fill);
                out.add(part);
            }
            return new PyValues.PyGenerator(out);
        });
        register(jinjava, "batch", (v, i, a) -> {
            long size = PyNumbers.asLong(a.get(0, "linecount", 1L));
            if (size <= 0) throw new PyValues.PyError("ValueError: batch size must be positive");
            Object fill = a.get(1, "fill_with", null);
            List<Object> out = new ArrayList<>();
            List<Object> cur = new ArrayList<>();
            for (Object o : iterate(v)) {
                if (cur.size() == size) { out.add(cur); cur = new ArrayList<>(); }
                cur.add(o);
            }
            if (!cur.isEmpty()) {
                if (fill != null) while (cur.size() < size) cur.add(fill);
                out.add(cur);
            }
            return new PyValues.PyGenerator(out);
        });
    }

    /** Python's {@code dict(...)}: a mapping or pairs, then keyword arguments. */
    public static Object dict(Object... args) {
        Map<Object, Object> out = new LinkedHashMap<>();
        int positional = 0;
        for (Object a : args == null ? new Object[0] : args) {
            if (a instanceof com.hubspot.jinjava.el.ext.NamedParameter p) {
                out.put(p.getName(), p.getValue());
                continue;
            }
            if (++positional > 1) throw new PyValues.PyError("TypeError: dict expected at most 1 argument, got " + positional);
            if (a instanceof Map<?, ?> m) out.putAll(m);
            else for (Object pair : iterate(a)) {
                List<Object> kv = iterate(pair);
                if (kv.size() != 2) throw new PyValues.PyError("ValueError: dictionary update sequence element has length " + kv.size() + "; 2 is required");
                out.put(kv.get(0), kv.get(1));
            }
        }
        return out;
    }

    /** Python's urllib quote (UTF-8, unreserved characters and the safe ones kept). */
    private static String quote(String s, String safe) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "_.-~".indexOf(c) >= 0 || safe.indexOf(c) >= 0) sb.append((char) c);
            else sb.append('%').append(String.format("%02X", c));
        }
        return sb.toString();
    }

    private static Object groupKey(Object current, List<Object> members, Object attr, Object dflt, boolean caseSensitive) {
        if (caseSensitive) return current;
        Object k = attribute(members.get(0), attr); // Jinja2 reports the first item's value, not its lowered key
        return k == null ? dflt : k;
    }

    /** markupsafe's unescape for the entities striptags meets. */
    private static String unescapeHtml(String s) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("&(#(\\d+)|#[xX]([0-9a-fA-F]+)|(amp|lt|gt|quot|apos|nbsp));").matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String rep;
            if (m.group(2) != null) rep = Character.toString(Integer.parseInt(m.group(2)));
            else if (m.group(3) != null) rep = Character.toString(Integer.parseInt(m.group(3), 16));
            else rep = switch (m.group(4)) {
                case "amp" -> "&";
                case "lt" -> "<";
                case "gt" -> ">";
                case "quot" -> "\"";
                case "apos" -> "'";
                default -> "\u00a0";
            };
            m.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(rep));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** For the tests: Python's {@code callable()}. */
    static boolean callable(Object v) {
        return v instanceof PyValues.PyMethod || v instanceof com.hubspot.jinjava.lib.fn.MacroFunction;
    }

    static boolean isCollection(Object v) {
        return v instanceof Collection<?>;
    }
}
