package dev.drllm.tokenizer;

import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import jinjava.javax.el.CompositeELResolver;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

import java.beans.FeatureDescriptor;
import java.time.LocalDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Python {@code str} and {@code dict} methods that HF chat templates call and Jinjava lacks
 * ({@code content.startswith('<tool_response>')}, {@code .split('</think>')[0].rstrip('\n')},
 * {@code message.get('x', d)}, …), with Python's semantics: e.g. {@code strip()} without argument
 * strips Unicode whitespace, {@code split()} without argument drops empty fields.
 */
final class PythonMethods extends ELResolver {
    private PythonMethods() {}

    static ELResolver resolver() {
        CompositeELResolver c = new CompositeELResolver();
        c.add(new PythonMethods());
        c.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
        return c;
    }

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        checkDeadline();
        if (method == null) return null;
        String name = method.toString();
        Object[] a = params == null ? new Object[0] : params;
        if (!name.equals("format")) a = bind(name, a);
        Object out;
        if (base == PyValues.NONE) {
            throw new PyValues.PyError("UndefinedError: 'None' has no attribute '" + name + "'");
        } else if (base instanceof String s) {
            out = string(s, name, a);
            if (out == NOT_HANDLED) throw new PyValues.PyError("UndefinedError: 'str object' has no attribute '" + name + "'");
        } else if (base instanceof com.hubspot.jinjava.objects.Namespace) {
            return null;
        } else if (base instanceof ChatTemplate.PyLoop loop && name.equals("changed")) {
            out = loop.state.changed(a.length == 1 ? a[0] : new PyValues.PyTuple(a));
        } else if (base instanceof Map<?, ?> m) {
            out = dict(m, name, a);
            if (out == NOT_HANDLED) throw noAttribute("dict", name, Set.of("update", "pop", "popitem", "setdefault", "clear"));
        } else if (base instanceof List<?> l) {
            out = list(l, name, a);
            if (out == NOT_HANDLED) throw noAttribute("list", name, Set.of("append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse"));
        } else {
            return null;
        }
        context.setPropertyResolved(true);
        return out;
    }

    private static final Object NOT_HANDLED = new Object();

    private static final java.util.regex.Pattern INTEGER = java.util.regex.Pattern.compile("-?\\d{1,18}");

    /** As ImmutableSandboxedEnvironment answers: a method that would modify is unsafe, any other is undefined. */
    private static PyValues.PyError noAttribute(String type, String name, Set<String> mutating) {
        if (mutating.contains(name)) return new PyValues.PyError("SecurityError: access to attribute '" + name + "' of '" + type + "' object is unsafe.");
        return new PyValues.PyError("UndefinedError: '" + type + " object' has no attribute '" + name + "'");
    }

    private static Object list(List<?> l, String name, Object[] a) {
        return switch (name) {
            case "index" -> {
                for (int i = 0; i < l.size(); i++) if (PyValues.pyEquals(l.get(i), a[0])) yield (long) i;
                throw new PyValues.PyError("ValueError: " + PyValues.repr(a[0]) + " is not in list");
            }
            case "count" -> {
                long n = 0;
                for (Object o : l) if (PyValues.pyEquals(o, a[0])) n++;
                yield n;
            }
            case "copy" -> new ArrayList<>(l);
            default -> NOT_HANDLED;
        };
    }

    /** The parameter names of the methods that take more than one argument, for calls by keyword. */
    private static final Map<String, List<String>> SIGNATURES = Map.ofEntries(
            Map.entry("split", List.of("sep", "maxsplit")), Map.entry("rsplit", List.of("sep", "maxsplit")),
            Map.entry("replace", List.of("old", "new", "count")), Map.entry("startswith", List.of("prefix", "start", "end")),
            Map.entry("endswith", List.of("suffix", "start", "end")), Map.entry("strip", List.of("chars")),
            Map.entry("lstrip", List.of("chars")), Map.entry("rstrip", List.of("chars")), Map.entry("splitlines", List.of("keepends")),
            Map.entry("get", List.of("key", "default")), Map.entry("center", List.of("width", "fillchar")),
            Map.entry("ljust", List.of("width", "fillchar")), Map.entry("rjust", List.of("width", "fillchar")),
            Map.entry("find", List.of("sub", "start", "end")), Map.entry("rfind", List.of("sub", "start", "end")),
            Map.entry("index", List.of("sub", "start", "end")), Map.entry("count", List.of("sub", "start", "end")));

    /** Keyword arguments ({@code split(',', maxsplit=1)}) put in their positions, as Python binds them. */
    private static Object[] bind(String name, Object[] a) {
        boolean named = false;
        for (Object o : a) named |= o instanceof com.hubspot.jinjava.el.ext.NamedParameter;
        if (!named) return a;
        List<String> sig = SIGNATURES.get(name);
        if (sig == null) throw new PyValues.PyError("TypeError: " + name + "() takes no keyword arguments");
        List<Object> pos = positional(a);
        Object[] out = new Object[sig.size()];
        Object unset = new Object();
        java.util.Arrays.fill(out, unset);
        for (int i = 0; i < pos.size() && i < out.length; i++) out[i] = pos.get(i);
        for (Map.Entry<String, Object> e : kwargs(a).entrySet()) {
            int k = sig.indexOf(e.getKey());
            if (k < 0) throw new PyValues.PyError("TypeError: " + name + "() got an unexpected keyword argument '" + e.getKey() + "'");
            if (out[k] != unset) throw new PyValues.PyError("TypeError: " + name + "() got multiple values for argument '" + e.getKey() + "'");
            out[k] = e.getValue();
        }
        int n = out.length;
        while (n > 0 && out[n - 1] == unset) n--;
        for (int i = 0; i < n; i++) if (out[i] == unset) throw new PyValues.PyError("TypeError: " + name + "() missing argument '" + sig.get(i) + "'");
        return java.util.Arrays.copyOf(out, n);
    }

    /** Positional arguments, and keyword arguments ({@code name=value} in a call), apart. */
    private static Map<String, Object> kwargs(Object[] a) {
        Map<String, Object> kw = new java.util.LinkedHashMap<>();
        for (Object o : a) if (o instanceof com.hubspot.jinjava.el.ext.NamedParameter p) kw.put(p.getName(), p.getValue());
        return kw;
    }

    private static List<Object> positional(Object[] a) {
        List<Object> out = new ArrayList<>();
        for (Object o : a) if (!(o instanceof com.hubspot.jinjava.el.ext.NamedParameter)) out.add(o);
        return out;
    }

    /** Strings built here bypass Jinjava's limits, so they get the same bound as ChatTemplate's output. */
    static final long MAX_CHARS = 8L << 20;

    private static void bound(long chars) {
        if (chars > MAX_CHARS) throw new IllegalArgumentException("string method result of " + chars + " chars exceeds " + MAX_CHARS);
    }

    private static Object string(String s, String name, Object[] a) {
        return switch (name) {
            case "startswith" -> affix(s, a, true);
            case "endswith" -> affix(s, a, false);
            case "strip" -> strip(s, arg(a, 0), true, true);
            case "lstrip" -> strip(s, arg(a, 0), true, false);
            case "rstrip" -> strip(s, arg(a, 0), false, true);
            case "split" -> split(s, arg(a, 0), a.length > 1 ? count(a[1]) : -1);
            case "upper" -> s.toUpperCase(Locale.ROOT);
            case "lower" -> s.toLowerCase(Locale.ROOT);
            case "title" -> title(s);
            case "capitalize" -> s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
            case "replace" -> replace(s, str(a[0]), str(a[1]), a.length > 2 ? count(a[2]) : -1);
            case "find" -> (long) s.indexOf(str(a[0]));
            case "count" -> (long) count(s, str(a[0]));
            case "splitlines" -> splitlines(s);
            case "isdigit" -> !s.isEmpty() && s.chars().allMatch(Character::isDigit);
            case "isspace" -> !s.isEmpty() && s.chars().allMatch(c -> AddedVocabulary.isWhiteSpace((char) c));
            case "join" -> join(s, a[0]);
            case "format" -> PyFormat.format(s, positional(a), kwargs(a));
            case "rfind" -> (long) s.lastIndexOf(str(a[0]));
            case "index" -> {
                int k = s.indexOf(str(a[0]));
                if (k < 0) throw new PyValues.PyError("ValueError: substring not found");
                yield (long) k;
            }
            case "isalpha" -> !s.isEmpty() && s.codePoints().allMatch(Character::isLetter);
            case "isalnum" -> !s.isEmpty() && s.codePoints().allMatch(Character::isLetterOrDigit);
            case "islower" -> isLower(s);
            case "isupper" -> isUpper(s);
            case "swapcase" -> s.codePoints().map(c -> Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c))
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
            case "casefold" -> s.toLowerCase(Locale.ROOT);
            case "zfill" -> {
                int w = ((Number) a[0]).intValue();
                bound(w);
                int signAt = !s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+') ? 1 : 0;
                yield s.length() >= w ? s : s.substring(0, signAt) + "0".repeat(w - s.length()) + s.substring(signAt);
            }
            case "center", "ljust", "rjust" -> {
                int w = ((Number) a[0]).intValue();
                bound(w);
                String fill = a.length > 1 ? str(a[1]) : " ";
                int len = s.codePointCount(0, s.length());
                if (len >= w) yield s;
                int total = w - len;
                int left = name.equals("ljust") ? 0 : name.equals("rjust") ? total : total / 2 + (total & w & 1);
                yield fill.repeat(left) + s + fill.repeat(total - left);
            }
            case "partition", "rpartition" -> {
                String sep = str(a[0]);
                int k = name.equals("partition") ? s.indexOf(sep) : s.lastIndexOf(sep);
                if (k < 0) yield name.equals("partition") ? new PyValues.PyTuple(s, "", "") : new PyValues.PyTuple("", "", s);
                yield new PyValues.PyTuple(s.substring(0, k), sep, s.substring(k + sep.length()));
            }
            case "rsplit" -> rsplit(s, arg(a, 0), a.length > 1 ? count(a[1]) : -1);
            default -> NOT_HANDLED;
        };
    }

    private static Object dict(Map<?, ?> m, String name, Object[] a) {
        return switch (name) {
            case "get" -> m.containsKey(a[0]) ? m.get(a[0]) : a.length > 1 ? a[1] : PyValues.NONE;
            case "copy" -> new java.util.LinkedHashMap<>(m);
            case "keys" -> new ArrayList<>(m.keySet());
            case "values" -> new ArrayList<>(m.values());
            case "items" -> {
                List<Object> items = new ArrayList<>();
                for (Map.Entry<?, ?> e : m.entrySet()) items.add(new PyValues.PyTuple(e.getKey(), e.getValue()));
                yield items;
            }
            default -> NOT_HANDLED;
        };
    }

    static boolean isLower(String s) {
        return s.codePoints().anyMatch(Character::isLowerCase) && s.codePoints().noneMatch(c -> Character.isUpperCase(c) || Character.isTitleCase(c));
    }

    static boolean isUpper(String s) {
        return s.codePoints().anyMatch(Character::isUpperCase) && s.codePoints().noneMatch(c -> Character.isLowerCase(c) || Character.isTitleCase(c));
    }

    /** Python's str.splitlines(): no trailing empty line, every Unicode line boundary. */
    static List<String> splitlines(String s) {
        List<String> out = new ArrayList<>();
        int start = 0, i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if ("\n\r\u000B\f\u001C\u001D\u001E\u0085\u2028\u2029".indexOf(c) >= 0) {
                out.add(s.substring(start, i));
                i += c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n' ? 2 : 1;
                start = i;
            } else {
                i++;
            }
        }
        if (start < s.length()) out.add(s.substring(start));
        return out;
    }

    private static String arg(Object[] a, int i) { return a.length > i && a[i] != null && a[i] != PyValues.NONE ? str(a[i]) : null; }

    /** A count or maxsplit argument: an int (negative for all), clamped to an int. */
    private static int count(Object o) {
        if (!PyNumbers.isInt(o)) throw new PyValues.PyError("TypeError: '" + PyValues.typeName(o) + "' object cannot be interpreted as an integer");
        return (int) Math.max(-1, Math.min(Integer.MAX_VALUE, PyNumbers.big(o).max(java.math.BigInteger.valueOf(-1)).min(java.math.BigInteger.valueOf(Integer.MAX_VALUE)).longValue()));
    }

    private static String str(Object o) { return o == null ? null : o.toString(); }

    private static boolean affix(String s, Object[] a, boolean prefix) {
        if (a.length == 0) throw new PyValues.PyError("TypeError: " + (prefix ? "startswith" : "endswith") + " takes at least 1 argument");
        if (a.length > 1) {
            // s.startswith(x, start, end) looks at s[start:end]
            s = (String) JinjaCompat.slice(s, a[1], a.length > 2 ? a[2] : PyValues.NONE, PyValues.NONE);
        }
        // Python accepts a tuple of alternatives
        if (a[0] instanceof PyValues.PyTuple alts) {
            for (Object o : alts) if (prefix ? s.startsWith(needle(o, prefix)) : s.endsWith(needle(o, prefix))) return true;
            return false;
        }
        return prefix ? s.startsWith(needle(a[0], prefix)) : s.endsWith(needle(a[0], prefix));
    }

    private static String needle(Object o, boolean prefix) {
        if (!(o instanceof String || o instanceof com.hubspot.jinjava.objects.SafeString))
            throw new PyValues.PyError("TypeError: " + (prefix ? "startswith" : "endswith") + " first arg must be str or a tuple of str, not " + PyValues.typeName(o));
        return o.toString();
    }

    static String strip(String s, String chars, boolean left, boolean right) {
        int b = 0, e = s.length();
        if (left) while (b < e && strippable(s.charAt(b), chars)) b++;
        if (right) while (e > b && strippable(s.charAt(e - 1), chars)) e--;
        return s.substring(b, e);
    }

    private static boolean strippable(char c, String chars) {
        return chars == null ? AddedVocabulary.isWhiteSpace(c) || (c >= '\u001C' && c <= '\u001F') : chars.indexOf(c) >= 0;
    }

    /** Python's str.rsplit: like split, the splits counted from the right. */
    static List<String> rsplit(String s, String sep, int maxsplit) {
        if (maxsplit < 0) return split(s, sep, -1);
        String rev = new StringBuilder(s).reverse().toString();
        List<String> parts = split(rev, sep == null ? null : new StringBuilder(sep).reverse().toString(), maxsplit);
        List<String> out = new ArrayList<>();
        for (int i = parts.size() - 1; i >= 0; i--) out.add(new StringBuilder(parts.get(i)).reverse().toString());
        return out;
    }

    static List<String> split(String s, String sep, int maxsplit) {
        List<String> out = new ArrayList<>();
        if (sep == null) {
            int i = 0, n = s.length();
            while (true) {
                while (i < n && strippable(s.charAt(i), null)) i++;
                if (i >= n) break;
                if (maxsplit >= 0 && out.size() == maxsplit) {
                    out.add(s.substring(i)); // the rest as it is, trailing whitespace kept
                    break;
                }
                int j = i;
                while (j < n && !strippable(s.charAt(j), null)) j++;
                out.add(s.substring(i, j));
                i = j;
            }
            return out;
        }
        if (sep.isEmpty()) throw new IllegalArgumentException("empty separator");
        int from = 0;
        while (maxsplit < 0 || out.size() < maxsplit) {
            int k = s.indexOf(sep, from);
            if (k < 0) break;
            out.add(s.substring(from, k));
            from = k + sep.length();
        }
        out.add(s.substring(from));
        return out;
    }

    static String replace(String s, String old, String rep, int count) {
        long hits = count(s, old);
        if (count >= 0) hits = Math.min(hits, count);
        bound(s.length() + hits * (rep.length() - (long) old.length()));
        if (count < 0) return s.replace(old, rep);
        StringBuilder sb = new StringBuilder();
        int from = 0;
        for (int n = 0; n < count; n++) {
            int k = s.indexOf(old, from);
            if (k < 0) break;
            sb.append(s, from, k).append(rep);
            from = k + old.length();
            if (old.isEmpty()) {
                if (from < s.length()) sb.append(s.charAt(from));
                from++;
            }
        }
        if (from <= s.length()) sb.append(s.substring(Math.min(from, s.length())));
        return sb.toString();
    }

    private static int count(String s, String sub) {
        if (sub.isEmpty()) return s.length() + 1;
        int n = 0;
        for (int k = s.indexOf(sub); k >= 0; k = s.indexOf(sub, k + sub.length())) n++;
        return n;
    }

    private static String title(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean prevCased = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(prevCased ? Character.toLowerCase(c) : Character.toUpperCase(c));
            prevCased = Character.isLetter(c);
        }
        return sb.toString();
    }

    private static String join(String sep, Object items) {
        List<String> parts = new ArrayList<>();
        long total = 0;
        int i = 0;
        for (Object o : PyFilters.iterate(items == PyValues.NONE ? 0L : items)) {
            if (!(o instanceof String || o instanceof com.hubspot.jinjava.objects.SafeString))
                throw new PyValues.PyError("TypeError: sequence item " + i + ": expected str instance, " + PyValues.typeName(o) + " found");
            String p = o.toString();
            total += sep.length() + p.length();
            bound(total);
            parts.add(p);
            i++;
        }
        return String.join(sep, parts);
    }

    /** {@code strftime_now(fmt)}: the local time formatted with the C strftime directives templates use. */
    public static String strftimeNow(String format) {
        java.time.Clock clock = NOW.get();
        return strftime(clock == null ? LocalDateTime.now() : LocalDateTime.now(clock), format);
    }

    /** The clock of the calling thread's render (set by {@link ChatTemplate}). */
    static final ThreadLocal<java.time.Clock> NOW = new ThreadLocal<>();

    static String strftime(LocalDateTime t, String f) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < f.length(); i++) {
            char c = f.charAt(i);
            if (c != '%' || i + 1 >= f.length()) { sb.append(c); continue; }
            char d = f.charAt(++i);
            if (d == '-' && i + 1 < f.length()) {
                // glibc's %-d: the number without padding
                char e = f.charAt(++i);
                String padded = strftime(t, "%" + e);
                sb.append("dmHIMSjy".indexOf(e) >= 0 ? padded.replaceFirst("^0+(?=.)", "") : padded);
                continue;
            }
            switch (d) {
                case 'd' -> sb.append(String.format("%02d", t.getDayOfMonth()));
                case 'm' -> sb.append(String.format("%02d", t.getMonthValue()));
                case 'Y' -> sb.append(t.getYear());
                case 'y' -> sb.append(String.format("%02d", t.getYear() % 100));
                case 'H' -> sb.append(String.format("%02d", t.getHour()));
                case 'I' -> sb.append(String.format("%02d", (t.getHour() + 11) % 12 + 1));
                case 'M' -> sb.append(String.format("%02d", t.getMinute()));
                case 'S' -> sb.append(String.format("%02d", t.getSecond()));
                case 'p' -> sb.append(t.getHour() < 12 ? "AM" : "PM");
                case 'b' -> sb.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case 'B' -> sb.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case 'a' -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case 'A' -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case 'j' -> sb.append(String.format("%03d", t.getDayOfYear()));
                case '%' -> sb.append('%');
                default -> sb.append('%').append(d);
            }
        }
        return sb.toString();
    }

    /**
     * The render's time budget, checked on every property read and method call: Jinjava has size
     * limits but no time limit, and a template's nested loops can do billions of steps while
     * building nothing (ParserFuzzTest found a 1.7 KB template that ran for minutes). Set by
     * {@link ChatTemplate} around each render of the calling thread.
     */
    static final ThreadLocal<long[]> DEADLINE = new ThreadLocal<>(); // {deadline nanos, budget ms, hit}

    /** Thrown once the render's budget is spent; without a stack trace, as loops may hit it many times. */
    static final class RenderTimeout extends RuntimeException {
        RenderTimeout(String message) { super(message, null, false, false); }
    }

    static void checkDeadline() {
        long[] d = DEADLINE.get();
        if (d != null && System.nanoTime() - d[0] > 0) {
            d[2] = 1; // remembered: Jinjava may turn the exception into a template error and go on
            throw new RenderTimeout("rendering took longer than " + d[1] + " ms (a loop that does not end, or far more work than any chat needs)");
        }
    }

    // The remaining ELResolver methods: this resolver only answers method calls (and checks the budget on reads).
    @Override public Object getValue(ELContext context, Object base, Object property) {
        checkDeadline();
        if (base == null && property instanceof String p) {
            // Jinjava looks filters and tests up as "filter:NAME" / "exptest:NAME": only Jinja2's exist
            if (p.startsWith("filter:") && !PyEnvironment.JINJA2_FILTERS.contains(p.substring(7)))
                throw new PyValues.PyError("TemplateAssertionError: No filter named '" + p.substring(7) + "'.");
            if (p.startsWith("exptest:") && !PyEnvironment.JINJA2_TESTS.contains(p.substring(8)))
                throw new PyValues.PyError("TemplateAssertionError: No test named '" + p.substring(8) + "'.");
        }
        if (base == PyValues.NONE) {
            // getattr(None, x) is undefined in Jinja2 (an error only once used)
            context.setPropertyResolved(true);
            return null;
        }
        if ((base instanceof String || base instanceof com.hubspot.jinjava.objects.SafeString) && property != null
                && INTEGER.matcher(property.toString()).matches()) {
            // Python's str[i], by code point, negative from the end; out of range is undefined (Jinjava
            // passes the index as its text)
            String str = base.toString();
            int len = str.codePointCount(0, str.length());
            long n = Long.parseLong(property.toString());
            long i = n < 0 ? n + len : n;
            context.setPropertyResolved(true);
            return i < 0 || i >= len ? null : Character.toString(str.codePointAt(str.offsetByCodePoints(0, (int) i)));
        }
        if (base instanceof PyValues.PyGroup g && ("grouper".equals(property) || "list".equals(property))) {
            context.setPropertyResolved(true);
            return "grouper".equals(property) ? g.grouper() : g.list();
        }
        if (base instanceof PyValues.PyMethod) {
            context.setPropertyResolved(true);
            return null;
        }
        if (base == null && property instanceof String name && !name.contains(":")) {
            // a namespace as it is (Jinjava's resolver wraps it as a plain dict): printed <Namespace {…}>, not a mapping
            var interpreter = com.hubspot.jinjava.interpret.JinjavaInterpreter.getCurrent();
            if (interpreter != null && interpreter.getContext().get(name) instanceof com.hubspot.jinjava.objects.Namespace ns) {
                context.setPropertyResolved(true);
                return ns;
            }
        }
        if (base instanceof ChatTemplate.PyLoop loop && ("previtem".equals(property) || "nextitem".equals(property))) {
            context.setPropertyResolved(true);
            return "previtem".equals(property) ? loop.state.previous() : loop.state.next();
        }
        return null;
    }
    @Override public Class<?> getType(ELContext context, Object base, Object property) { return null; }
    @Override public void setValue(ELContext context, Object base, Object property, Object value) { }
    @Override public boolean isReadOnly(ELContext context, Object base, Object property) { return true; }
    @Override public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) { return null; }
    @Override public Class<?> getCommonPropertyType(ELContext context, Object base) { return null; }
}
