package dev.drllm.tokenizer;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Python's {@code str.format}: automatic ({@code {}}), numbered ({@code {0}}) and named
 * ({@code {name}}) fields, attribute and index access ({@code {0.name}}, {@code {0[key]}}),
 * conversions ({@code !r}, {@code !s}, {@code !a}), {@code {{}} / }} escapes, and the format-spec
 * mini-language: fill, align ({@code < > ^ =}), sign, {@code #}, zero padding, width, grouping
 * ({@code , _}), precision and the types {@code s d b o x X c e E f F g G n %}.
 */
final class PyFormat {
    private PyFormat() {}

    static String format(String fmt, List<Object> args, Map<String, Object> kwargs) {
        StringBuilder out = new StringBuilder();
        int auto = 0;
        boolean numbered = false, automatic = false;
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (c == '}') {
                if (i + 1 < fmt.length() && fmt.charAt(i + 1) == '}') { out.append('}'); i++; continue; }
                throw new PyValues.PyError("ValueError: Single '}' encountered in format string");
            }
            if (c != '{') { out.append(c); continue; }
            if (i + 1 < fmt.length() && fmt.charAt(i + 1) == '{') { out.append('{'); i++; continue; }
            // the field runs to the matching '}' (a spec may hold nested {…} fields)
            int depth = 1, j = i + 1;
            while (j < fmt.length() && depth > 0) {
                char d = fmt.charAt(j);
                if (d == '{') depth++;
                else if (d == '}') depth--;
                if (depth > 0) j++;
            }
            if (j >= fmt.length()) throw new PyValues.PyError("ValueError: expected '}' before end of string");
            String field = fmt.substring(i + 1, j);
            i = j;
            String spec = "", conv = null;
            int colon = indexOutsideBrackets(field, ':');
            if (colon >= 0) { spec = field.substring(colon + 1); field = field.substring(0, colon); }
            int bang = indexOutsideBrackets(field, '!');
            if (bang >= 0) { conv = field.substring(bang + 1); field = field.substring(0, bang); }
            // the first part of the name: empty (automatic), a number or a keyword
            int end = 0;
            while (end < field.length() && field.charAt(end) != '.' && field.charAt(end) != '[') end++;
            String first = field.substring(0, end);
            Object value;
            if (first.isEmpty()) {
                if (numbered) throw new PyValues.PyError("ValueError: cannot switch from manual field specification to automatic field numbering");
                automatic = true;
                value = positional(args, auto++);
            } else if (first.chars().allMatch(Character::isDigit)) {
                if (automatic) throw new PyValues.PyError("ValueError: cannot switch from automatic field numbering to manual field specification");
                numbered = true;
                value = positional(args, Integer.parseInt(first));
            } else {
                if (!kwargs.containsKey(first)) throw new PyValues.PyError("KeyError: '" + first + "'");
                value = kwargs.get(first);
            }
            value = access(value, field.substring(end));
            if (conv != null) {
                value = switch (conv) {
                    case "r", "a" -> PyValues.repr(value);
                    case "s" -> PyValues.str(value);
                    default -> throw new PyValues.PyError("ValueError: Unknown conversion specifier " + conv);
                };
            }
            if (spec.indexOf('{') >= 0) spec = format(spec, args.subList(0, args.size()), kwargs);
            out.append(formatValue(value, spec));
            if (out.length() > PythonMethods.MAX_CHARS) throw new PyValues.PyError("format result exceeds " + PythonMethods.MAX_CHARS + " chars");
        }
        return out.toString();
    }

    private static int indexOutsideBrackets(String s, char c) {
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char d = s.charAt(i);
            if (d == '[') depth++;
            else if (d == ']') depth--;
            else if (d == c && depth == 0) return i;
        }
        return -1;
    }

    private static Object positional(List<Object> args, int i) {
        if (i >= args.size()) throw new PyValues.PyError("IndexError: Replacement index " + i + " out of range for positional args tuple");
        return args.get(i);
    }

    private static Object access(Object value, String rest) {
        int i = 0;
        while (i < rest.length()) {
            char c = rest.charAt(i);
            int j = i + 1;
            if (c == '.') {
                while (j < rest.length() && rest.charAt(j) != '.' && rest.charAt(j) != '[') j++;
                String name = rest.substring(i + 1, j);
                if (!(value instanceof Map<?, ?> m) || !m.containsKey(name))
                    throw new PyValues.PyError("AttributeError: '" + PyValues.typeName(value) + "' object has no attribute '" + name + "'");
                value = ((Map<?, ?>) value).get(name);
            } else {
                int close = rest.indexOf(']', i);
                if (close < 0) throw new PyValues.PyError("ValueError: Missing ']' in format string");
                String key = rest.substring(i + 1, close);
                j = close + 1;
                if (value instanceof List<?> l && key.chars().allMatch(Character::isDigit) && !key.isEmpty()) {
                    int k = Integer.parseInt(key);
                    if (k >= l.size()) throw new PyValues.PyError("IndexError: list index out of range");
                    value = l.get(k);
                } else if (value instanceof Map<?, ?> m && m.containsKey(key)) {
                    value = m.get(key);
                } else {
                    throw new PyValues.PyError("KeyError: '" + key + "'");
                }
            }
            i = j;
        }
        return value;
    }

    /**
     * Python's printf-style {@code fmt % args} (and Jinja2's {@code format} filter): {@code args} is a
     * tuple of positional values, a mapping for {@code %(name)s} fields, or one value.
     */
    static String percent(String fmt, Object args) {
        List<Object> positional;
        Map<?, ?> mapping = null;
        if (args instanceof PyValues.PyTuple t) positional = new java.util.ArrayList<>(t);
        else {
            positional = new java.util.ArrayList<>();
            positional.add(args);
            if (args instanceof Map<?, ?> m) mapping = m;
        }
        StringBuilder sb = new StringBuilder();
        int next = 0, n = fmt.length();
        boolean usedMapping = false;
        for (int i = 0; i < n; ) {
            char c = fmt.charAt(i++);
            if (c != '%') { sb.append(c); continue; }
            if (i >= n) throw new PyValues.PyError("ValueError: incomplete format");
            Object value = null;
            boolean named = false;
            if (fmt.charAt(i) == '(') {
                int depth = 1, j = i + 1;
                while (j < n && depth > 0) { if (fmt.charAt(j) == '(') depth++; else if (fmt.charAt(j) == ')') depth--; j++; }
                if (depth > 0) throw new PyValues.PyError("ValueError: incomplete format key");
                if (mapping == null) throw new PyValues.PyError("TypeError: format requires a mapping");
                String key = fmt.substring(i + 1, j - 1);
                if (!mapping.containsKey(key)) throw new PyValues.PyError("KeyError: " + PyValues.repr(key));
                value = mapping.get(key);
                named = usedMapping = true;
                i = j;
            }
            StringBuilder flags = new StringBuilder();
            while (i < n && "-+ #0".indexOf(fmt.charAt(i)) >= 0) flags.append(fmt.charAt(i++));
            String width = "", precision = null;
            if (i < n && fmt.charAt(i) == '*') throw new PyValues.PyError("ValueError: '*' widths are not supported in chat templates");
            int ws = i;
            while (i < n && Character.isDigit(fmt.charAt(i))) i++;
            width = fmt.substring(ws, i);
            if (i < n && fmt.charAt(i) == '.') {
                int ps = ++i;
                while (i < n && Character.isDigit(fmt.charAt(i))) i++;
                precision = fmt.substring(ps, i).isEmpty() ? "0" : fmt.substring(ps, i);
            }
            while (i < n && "hlL".indexOf(fmt.charAt(i)) >= 0) i++;
            if (i >= n) throw new PyValues.PyError("ValueError: incomplete format");
            char type = fmt.charAt(i++);
            if (type == '%') { sb.append('%'); continue; }
            if (!named) {
                if (next >= positional.size()) throw new PyValues.PyError("TypeError: not enough arguments for format string");
                value = positional.get(next++);
            }
            String f = flags.toString();
            boolean minus = f.contains("-"), zero = !minus && f.contains("0") && "diuoxXeEfFgG".indexOf(type) >= 0;
            String spec = (minus ? "<" : zero ? "" : ">") + (f.contains("+") ? "+" : f.contains(" ") ? " " : "")
                    + (f.contains("#") ? "#" : "") + (zero ? "0" : "") + width + (precision == null ? "" : "." + precision);
            sb.append(switch (type) {
                case 's' -> formatValue(PyValues.str(value), spec);
                case 'r', 'a' -> formatValue(PyValues.repr(value), spec);
                case 'c' -> {
                    if (value instanceof String s && s.codePointCount(0, s.length()) == 1) yield formatValue(s, spec);
                    if (!PyNumbers.isInt(value)) throw new PyValues.PyError("TypeError: %c requires an int or a unicode character, not " + PyValues.typeName(value));
                    yield formatValue(Character.toString((int) PyNumbers.asLong(value)), spec);
                }
                case 'd', 'i', 'u' -> {
                    if (!PyValues.isNumeric(value)) throw new PyValues.PyError("TypeError: %" + type + " format: a real number is required, not " + PyValues.typeName(value));
                    Object v = PyNumbers.isInt(value) ? PyNumbers.norm(PyNumbers.big(value)) : PyNumbers.norm(new BigDecimal(PyNumbers.dbl(value)).toBigInteger());
                    yield formatValue(v, spec.replaceAll("\\.\\d*$", "") + "d");
                }
                case 'o', 'x', 'X' -> {
                    if (!PyNumbers.isInt(value)) throw new PyValues.PyError("TypeError: %" + type + " format: an integer is required, not " + PyValues.typeName(value));
                    yield formatValue(PyNumbers.norm(PyNumbers.big(value)), spec.replaceAll("\\.\\d*$", "") + type);
                }
                case 'e', 'E', 'f', 'F', 'g', 'G' -> {
                    if (!PyValues.isNumeric(value)) throw new PyValues.PyError("TypeError: must be real number, not " + PyValues.typeName(value));
                    yield formatValue(PyNumbers.dbl(value), spec + type);
                }
                default -> throw new PyValues.PyError("ValueError: unsupported format character '" + type + "'");
            });
            if (sb.length() > PythonMethods.MAX_CHARS) throw new PyValues.PyError("formatted string exceeds " + PythonMethods.MAX_CHARS + " chars");
        }
        if (!usedMapping && mapping == null && next < positional.size()) // a dict without fields is fine in Python
            throw new PyValues.PyError("TypeError: not all arguments converted during string formatting");
        return sb.toString();
    }

    /** Python's {@code format(value, spec)}. */
    static String formatValue(Object value, String spec) {
        if (value == null) value = "";
        int i = 0, n = spec.length();
        char fill = ' ', align = 0, sign = '-';
        boolean alt = false, zero = false;
        if (n >= 2 && "<>=^".indexOf(spec.charAt(1)) >= 0) { fill = spec.charAt(0); align = spec.charAt(1); i = 2; }
        else if (n >= 1 && "<>=^".indexOf(spec.charAt(0)) >= 0) { align = spec.charAt(0); i = 1; }
        if (i < n && "+- ".indexOf(spec.charAt(i)) >= 0) sign = spec.charAt(i++);
        if (i < n && spec.charAt(i) == 'z') i++;
        if (i < n && spec.charAt(i) == '#') { alt = true; i++; }
        if (i < n && spec.charAt(i) == '0') { zero = true; i++; }
        int width = 0;
        while (i < n && Character.isDigit(spec.charAt(i))) width = width * 10 + (spec.charAt(i++) - '0');
        char grouping = 0;
        if (i < n && (spec.charAt(i) == ',' || spec.charAt(i) == '_')) grouping = spec.charAt(i++);
        int precision = -1;
        if (i < n && spec.charAt(i) == '.') {
            i++;
            precision = 0;
            int start = i;
            while (i < n && Character.isDigit(spec.charAt(i))) precision = precision * 10 + (spec.charAt(i++) - '0');
            if (i == start) throw new PyValues.PyError("ValueError: Format specifier missing precision");
        }
        char type = 0;
        if (i < n) type = spec.charAt(i++);
        if (i < n) throw new PyValues.PyError("ValueError: Invalid format specifier '" + spec + "' for object of type '" + PyValues.typeName(value) + "'");
        if (width > PythonMethods.MAX_CHARS || precision > 10_000) throw new PyValues.PyError("format width or precision too large");
        if (zero && align == 0) { fill = '0'; align = '='; }

        String body;
        String prefix = "";
        boolean numeric;
        if (value instanceof String || value instanceof com.hubspot.jinjava.objects.SafeString || value == PyValues.NONE
                || value instanceof Map<?, ?> || value instanceof java.util.Collection<?>) {
            if (type != 0 && type != 's') throw new PyValues.PyError("ValueError: Unknown format code '" + type + "' for object of type '" + PyValues.typeName(value) + "'");
            if (value != PyValues.NONE && !(value instanceof String) && !spec.isEmpty() && value instanceof java.util.Collection<?>)
                throw new PyValues.PyError("TypeError: unsupported format string passed to " + PyValues.typeName(value) + ".__format__");
            body = PyValues.str(value);
            if (precision >= 0 && body.codePointCount(0, body.length()) > precision) body = body.substring(0, body.offsetByCodePoints(0, precision));
            numeric = false;
            if (align == 0) align = '<';
            if (align == '=') throw new PyValues.PyError("ValueError: '=' alignment not allowed in string format specifier");
        } else if (PyValues.isNumeric(value)) {
            numeric = true;
            boolean isFloat = value instanceof Double || value instanceof Float || value instanceof BigDecimal;
            if (value instanceof Boolean && type == 0) {
                body = PyValues.str(value);
                numeric = false;
                if (align == 0) align = '<';
            } else if (!isFloat && (type == 0 || "dbboxXcn".indexOf(type) >= 0)) {
                if (precision >= 0) throw new PyValues.PyError("ValueError: Precision not allowed in integer format specifier");
                BigInteger v = value instanceof BigInteger b ? b : BigInteger.valueOf(value instanceof Boolean b ? (b ? 1 : 0) : ((Number) value).longValue());
                boolean neg = v.signum() < 0;
                v = v.abs();
                switch (type) {
                    case 'b' -> { body = v.toString(2); if (alt) prefix = "0b"; }
                    case 'o' -> { body = v.toString(8); if (alt) prefix = "0o"; }
                    case 'x' -> { body = v.toString(16); if (alt) prefix = "0x"; }
                    case 'X' -> { body = v.toString(16).toUpperCase(Locale.ROOT); if (alt) prefix = "0X"; }
                    case 'c' -> { body = Character.toString(v.intValueExact()); numeric = false; }
                    default -> body = v.toString();
                }
                if (grouping != 0) body = group(body, grouping, type == 'b' || type == 'o' || type == 'x' || type == 'X' ? 4 : 3);
                prefix = signOf(neg, sign) + prefix;
            } else {
                double d = ((Number) (value instanceof Boolean b ? (b ? 1 : 0) : value)).doubleValue();
                boolean neg = d < 0 || (d == 0 && 1 / d < 0);
                double a = Math.abs(d);
                if (type == 0 && precision < 0) body = PyValues.floatStr(a);
                else body = floatBody(a, type == 0 ? 'r' : type, precision < 0 ? 6 : precision, alt);
                if (grouping != 0) {
                    int dot = body.indexOf('.');
                    int e = body.indexOf('e');
                    int stop = dot >= 0 ? dot : e >= 0 ? e : body.length();
                    if (body.chars().limit(stop).allMatch(Character::isDigit)) body = group(body.substring(0, stop), grouping, 3) + body.substring(stop);
                }
                prefix = signOf(neg, sign);
            }
        } else {
            if (!spec.isEmpty()) throw new PyValues.PyError("TypeError: unsupported format string passed to " + PyValues.typeName(value) + ".__format__");
            return PyValues.str(value);
        }
        if (align == 0) align = numeric ? '>' : '<';
        int len = prefix.codePointCount(0, prefix.length()) + body.codePointCount(0, body.length());
        if (len >= width) return prefix + body;
        String pad = String.valueOf(fill).repeat(width - len);
        return switch (align) {
            case '<' -> prefix + body + pad;
            case '>' -> pad + prefix + body;
            case '=' -> prefix + pad + body;
            default -> {
                int left = (width - len) / 2;
                yield pad.substring(0, left) + prefix + body + pad.substring(left);
            }
        };
    }

    private static String signOf(boolean negative, char sign) {
        if (negative) return "-";
        return sign == '+' ? "+" : sign == ' ' ? " " : "";
    }

    private static String group(String digits, char sep, int every) {
        StringBuilder sb = new StringBuilder();
        int n = digits.length();
        for (int i = 0; i < n; i++) {
            if (i > 0 && (n - i) % every == 0) sb.append(sep);
            sb.append(digits.charAt(i));
        }
        return sb.toString();
    }

    /** A non-negative float in the types f F e E g G % (and 'r': no type but a precision, like g with at least one digit). */
    private static String floatBody(double a, char type, int precision, boolean alt) {
        if (Double.isNaN(a)) return Character.isUpperCase(type) ? "NAN" : "nan";
        if (Double.isInfinite(a)) return Character.isUpperCase(type) ? "INF" : "inf";
        BigDecimal v = new BigDecimal(a);
        switch (type) {
            case 'f', 'F' -> {
                return v.setScale(precision, RoundingMode.HALF_EVEN).toPlainString() + (alt && precision == 0 ? "." : "");
            }
            case '%' -> {
                return v.multiply(BigDecimal.valueOf(100)).setScale(precision, RoundingMode.HALF_EVEN).toPlainString() + "%";
            }
            case 'e', 'E' -> {
                String s = exp(v, precision, alt);
                return type == 'E' ? s.toUpperCase(Locale.ROOT) : s;
            }
            default -> { // g, G, n, r
                int p = precision == 0 ? 1 : precision;
                if (a == 0) return type == 'r' ? "0.0" : alt ? "0." + "0".repeat(p - 1) : "0";
                BigDecimal rounded = v.round(new java.math.MathContext(p, RoundingMode.HALF_EVEN));
                int exponent = rounded.precision() - rounded.scale() - 1;
                String s;
                if (exponent < -4 || exponent >= p) {
                    s = exp(v, p - 1, alt);
                    if (!alt) {
                        int e = s.indexOf('e');
                        String mant = s.substring(0, e);
                        if (mant.contains(".")) mant = mant.replaceAll("0+$", "").replaceAll("\\.$", "");
                        s = mant + s.substring(e);
                    }
                } else {
                    s = v.setScale(Math.max(0, p - 1 - exponent), RoundingMode.HALF_EVEN).toPlainString();
                    if (!alt && s.contains(".")) s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
                    if (type == 'r' && !s.contains(".")) s = s + ".0";
                }
                return type == 'G' ? s.toUpperCase(Locale.ROOT) : s;
            }
        }
    }

    private static String exp(BigDecimal v, int precision, boolean alt) {
        if (v.signum() == 0) return "0" + (precision > 0 ? "." + "0".repeat(precision) : alt ? "." : "") + "e+00";
        BigDecimal r = v.round(new java.math.MathContext(precision + 1, RoundingMode.HALF_EVEN));
        int exponent = r.precision() - r.scale() - 1;
        String digits = r.unscaledValue().toString();
        digits = (digits + "0".repeat(precision + 1)).substring(0, precision + 1);
        String mant = digits.charAt(0) + (precision > 0 ? "." + digits.substring(1) : alt ? "." : "");
        return mant + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
    }
}
