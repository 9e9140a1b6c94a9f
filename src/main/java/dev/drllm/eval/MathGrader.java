package dev.drllm.eval;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Judges a predicted math answer against the gold one. Both are normalised (LaTeX spacing,
 * {@code \left}/{@code \right}, {@code $}, {@code \text{}}, {@code \dfrac}, degree and percent
 * marks, thousands separators, a leading {@code x =}, trailing units); then two answers that both
 * read as exact rationals ({@code 3}, {@code -0.5}, {@code \frac{1}{2}}, {@code 1/2}) are equal when
 * the rationals are, and anything else is compared as normalised text. Exact rather than
 * floating comparison so that {@code 0.33} is not {@code 1/3}.
 */
public final class MathGrader {
    private static final Pattern TEXT_MACRO = Pattern.compile("\\\\(?:text|textbf|textit|mathrm|mathbf|mbox|operatorname)\\s*\\{([^{}]*)}");
    private static final Pattern FRAC_SHORT = Pattern.compile("\\\\frac(\\d)(\\d)");
    private static final Pattern FRAC_SHORT_BRACED = Pattern.compile("\\\\frac(\\d)\\{");
    private static final Pattern FRAC = Pattern.compile("\\\\frac\\{([^{}]*)}\\{([^{}]*)}");
    private static final Pattern SQRT_SHORT = Pattern.compile("\\\\sqrt(\\d+)");
    private static final Pattern ASSIGNMENT = Pattern.compile("^[a-zA-Z]\\s*=\\s*(?=\\S)");
    private static final Pattern THOUSANDS = Pattern.compile("^[-+]?\\d{1,3}(,\\d{3})+(\\.\\d+)?$");
    private static final Pattern UNIT_TAIL = Pattern.compile(
            "\\s+(?:square|sq\\.?|cubic|units?|cm|mm|km|m|meters?|metres?|centimeters?|kilometers?|inch(?:es)?|in|ft|feet|foot|"
                    + "yards?|yd|miles?|mi|degrees?|deg|radians?|dollars?|cents?|hours?|hrs?|minutes?|mins?|seconds?|secs?|s|"
                    + "days?|weeks?|months?|years?|kg|g|grams?|kilograms?|pounds?|lbs?|ounces?|oz|liters?|litres?|l|ml|mph|"
                    + "km/h|percent|points?|people|students|marbles|apples|coins|ways|times)\\b(?:\\s*\\^\\s*\\{?\\d}?)?\\s*$",
            Pattern.CASE_INSENSITIVE);

    private MathGrader() {}

    public static boolean equivalent(String predicted, String gold) {
        if (predicted == null || gold == null) return false;
        String a = normalize(predicted), b = normalize(gold);
        if (a.isEmpty() || b.isEmpty()) return false;
        Rational ra = Rational.parse(a), rb = Rational.parse(b);
        if (ra != null && rb != null) return ra.equals(rb);
        return a.equals(b) || a.toLowerCase(Locale.ROOT).equals(b.toLowerCase(Locale.ROOT));
    }

    /** The canonical text both sides are compared in (visible for tests and debugging). */
    public static String normalize(String s) {
        String t = s.strip()
                .replace('\u2212', '-')
                .replace("\\left", "").replace("\\right", "")
                .replace("\\displaystyle", "")
                .replace("\\!", "").replace("\\,", " ").replace("\\;", " ").replace("\\:", " ").replace("\\ ", " ").replace('~', ' ')
                .replace("\\$", "").replace("$", "")
                .replace("\\dfrac", "\\frac").replace("\\tfrac", "\\frac")
                .replace("^{\\circ}", "").replace("^\\circ", "").replace("\\circ", "").replace("\u00b0", "")
                .replace("\\%", "").replace("%", "");
        String prev;
        do {
            prev = t;
            t = TEXT_MACRO.matcher(t).replaceAll(m -> Matcher.quoteReplacement(" " + m.group(1) + " "));
        } while (!t.equals(prev));
        t = t.strip();
        while (t.endsWith(".")) t = t.substring(0, t.length() - 1).strip();
        t = ASSIGNMENT.matcher(t).replaceFirst("");
        do {
            prev = t;
            Matcher m = UNIT_TAIL.matcher(t);
            if (m.find() && m.start() > 0) t = t.substring(0, m.start()).strip();
        } while (!t.equals(prev));
        t = t.replaceAll("\\s+", "");
        t = FRAC_SHORT.matcher(t).replaceAll("\\\\frac{$1}{$2}");
        t = FRAC_SHORT_BRACED.matcher(t).replaceAll("\\\\frac{$1}{");
        do {
            prev = t;
            t = FRAC.matcher(t).replaceAll(m -> Matcher.quoteReplacement("(" + m.group(1) + ")/(" + m.group(2) + ")"));
        } while (!t.equals(prev));
        t = SQRT_SHORT.matcher(t).replaceAll("\\\\sqrt{$1}");
        while (t.length() >= 2 && t.charAt(0) == '{' && t.charAt(t.length() - 1) == '}' && balanced(t.substring(1, t.length() - 1))) {
            t = t.substring(1, t.length() - 1);
        }
        if (THOUSANDS.matcher(t).matches()) t = t.replace(",", "");
        return t;
    }

    private static boolean balanced(String s) {
        int d = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{') d++;
            else if (c == '}' && --d < 0) return false;
        }
        return d == 0;
    }

    /** An exact rational p/q (q > 0, reduced), parsed from sign, decimals, parentheses and one level of '/'. */
    record Rational(BigInteger num, BigInteger den) {
        static Rational of(BigInteger n, BigInteger d) {
            if (d.signum() == 0) return null;
            if (d.signum() < 0) {
                n = n.negate();
                d = d.negate();
            }
            BigInteger g = n.gcd(d);
            if (g.signum() != 0 && !g.equals(BigInteger.ONE)) {
                n = n.divide(g);
                d = d.divide(g);
            }
            return new Rational(n, d);
        }

        static Rational parse(String s) {
            if (s.length() > 200) return null;
            Parser p = new Parser(s);
            Rational r = p.expr();
            return r != null && p.pos == s.length() ? r : null;
        }

        private static final class Parser {
            final String s;
            int pos;

            Parser(String s) { this.s = s; }

            Rational expr() {
                Rational a = signed();
                if (a == null) return null;
                while (pos < s.length() && s.charAt(pos) == '/') {
                    pos++;
                    Rational b = signed();
                    if (b == null || b.num.signum() == 0) return null;
                    a = of(a.num.multiply(b.den), a.den.multiply(b.num));
                }
                return a;
            }

            Rational signed() {
                boolean neg = false;
                while (pos < s.length() && (s.charAt(pos) == '-' || s.charAt(pos) == '+')) {
                    if (s.charAt(pos) == '-') neg = !neg;
                    pos++;
                }
                Rational a = atom();
                return a == null ? null : neg ? new Rational(a.num.negate(), a.den) : a;
            }

            Rational atom() {
                if (pos >= s.length()) return null;
                char c = s.charAt(pos);
                if (c == '(' || c == '{') {
                    char close = c == '(' ? ')' : '}';
                    pos++;
                    Rational inner = expr();
                    if (inner == null || pos >= s.length() || s.charAt(pos) != close) return null;
                    pos++;
                    return inner;
                }
                int start = pos;
                while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.')) pos++;
                String num = s.substring(start, pos);
                if (num.isEmpty() || num.equals(".") || num.indexOf('.') != num.lastIndexOf('.')) return null;
                BigDecimal d = new BigDecimal(num.startsWith(".") ? "0" + num : num);
                if (d.scale() > 0) return of(d.unscaledValue(), BigInteger.TEN.pow(d.scale()));
                return of(d.toBigIntegerExact(), BigInteger.ONE);
            }
        }
    }
}
