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
        Object out;
        if (base instanceof String s) {
            out = string(s, name, a);
        } else if (base instanceof Map<?, ?> m) {
            out = dict(m, name, a);
        } else {
            return null;
        }
        if (out == NOT_HANDLED) return null;
        context.setPropertyResolved(true);
        return out;
    }

    private static final Object NOT_HANDLED = new Object();

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
            case "split" -> split(s, arg(a, 0), a.length > 1 ? ((Number) a[1]).intValue() : -1);
            case "upper" -> s.toUpperCase(Locale.ROOT);
            case "lower" -> s.toLowerCase(Locale.ROOT);
            case "title" -> title(s);
            case "capitalize" -> s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
            case "replace" -> replace(s, str(a[0]), str(a[1]), a.length > 2 ? ((Number) a[2]).intValue() : -1);
            case "find" -> (long) s.indexOf(str(a[0]));
            case "count" -> (long) count(s, str(a[0]));
            case "splitlines" -> List.of(s.split("\r\n|[\n\r\u000B\f\u001C\u001D\u001E\u0085\u2028\u2029]", -1)).stream()
                    .limit(s.isEmpty() ? 0 : Long.MAX_VALUE).toList();
            case "isdigit" -> !s.isEmpty() && s.chars().allMatch(Character::isDigit);
            case "isspace" -> !s.isEmpty() && s.chars().allMatch(c -> AddedVocabulary.isWhiteSpace((char) c));
            case "join" -> join(s, a[0]);
            default -> NOT_HANDLED;
        };
    }

    private static Object dict(Map<?, ?> m, String name, Object[] a) {
        return switch (name) {
            case "get" -> m.containsKey(a[0]) ? m.get(a[0]) : a.length > 1 ? a[1] : null;
            case "keys" -> new ArrayList<>(m.keySet());
            case "values" -> new ArrayList<>(m.values());
            case "items" -> {
                List<List<Object>> items = new ArrayList<>();
                for (Map.Entry<?, ?> e : m.entrySet()) items.add(java.util.Arrays.asList(e.getKey(), e.getValue()));
                yield items;
            }
            default -> NOT_HANDLED;
        };
    }

    private static String arg(Object[] a, int i) { return a.length > i && a[i] != null ? str(a[i]) : null; }

    private static String str(Object o) { return o == null ? null : o.toString(); }

    private static boolean affix(String s, Object[] a, boolean prefix) {
        if (a.length == 0) throw new IllegalArgumentException((prefix ? "startswith" : "endswith") + " takes an argument");
        // Python accepts a tuple of alternatives
        if (a[0] instanceof Collection<?> alts) {
            for (Object o : alts) if (prefix ? s.startsWith(str(o)) : s.endsWith(str(o))) return true;
            return false;
        }
        return prefix ? s.startsWith(str(a[0])) : s.endsWith(str(a[0]));
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

    static List<String> split(String s, String sep, int maxsplit) {
        List<String> out = new ArrayList<>();
        if (sep == null) {
            int i = 0, n = s.length();
            while (true) {
                while (i < n && strippable(s.charAt(i), null)) i++;
                if (i >= n) break;
                if (maxsplit >= 0 && out.size() == maxsplit) {
                    out.add(strip(s.substring(i), null, false, true));
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

    private static String replace(String s, String old, String rep, int count) {
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
        if (items instanceof Iterable<?> it) {
            for (Object o : it) {
                String p = str(o);
                total += sep.length() + (p == null ? 4 : p.length());
                bound(total);
                parts.add(p);
            }
        } else {
            throw new IllegalArgumentException("join expects a list");
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
        return null;
    }
    @Override public Class<?> getType(ELContext context, Object base, Object property) { return null; }
    @Override public void setValue(ELContext context, Object base, Object property, Object value) { }
    @Override public boolean isReadOnly(ELContext context, Object base, Object property) { return true; }
    @Override public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) { return null; }
    @Override public Class<?> getCommonPropertyType(ELContext context, Object base) { return null; }
}
