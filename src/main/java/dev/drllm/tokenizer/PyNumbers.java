package dev.drllm.tokenizer;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * Python's arithmetic on the numbers a template meets: integers of any size (a {@code long} while
 * it fits, a {@link BigInteger} beyond, never wrapped), floats as doubles, {@code bool} as 0 / 1;
 * {@code //} and {@code %} rounding towards minus infinity, {@code /} always a float, {@code **}
 * an integer for a non-negative integer exponent, division by zero a ZeroDivisionError. Undefined,
 * None, strings and containers are refused as Python refuses them.
 */
final class PyNumbers {
    private PyNumbers() {}

    /** The largest integer a template may build (bits): far beyond any count or id, small enough to bound the work. */
    private static final int MAX_BITS = 1 << 16;

    static boolean isInt(Object o) {
        return o instanceof Long || o instanceof Integer || o instanceof Short || o instanceof Byte || o instanceof BigInteger || o instanceof Boolean;
    }

    static boolean isFloat(Object o) {
        return o instanceof Double || o instanceof Float || o instanceof BigDecimal;
    }

    static BigInteger big(Object o) {
        if (o instanceof BigInteger b) return b;
        if (o instanceof Boolean b) return b ? BigInteger.ONE : BigInteger.ZERO;
        return BigInteger.valueOf(((Number) o).longValue());
    }

    static long asLong(Object o) {
        if (o instanceof Boolean b) return b ? 1 : 0;
        return ((Number) o).longValue();
    }

    static double dbl(Object o) {
        if (o instanceof Boolean b) return b ? 1 : 0;
        return ((Number) o).doubleValue();
    }

    /** An integer result: a Long where it fits, else a BigInteger (bounded). */
    static Object norm(BigInteger b) {
        if (b.bitLength() < 64) return b.longValue();
        if (b.bitLength() > MAX_BITS) throw new PyValues.PyError("OverflowError: integer of " + b.bitLength() + " bits exceeds " + MAX_BITS + " bits");
        return b;
    }

    private static boolean smallInts(Object a, Object b) {
        return isInt(a) && isInt(b) && !(a instanceof BigInteger) && !(b instanceof BigInteger);
    }

    private static void check(String op, Object a, Object b) {
        if (a == null || b == null) throw new PyValues.PyError("UndefinedError: an undefined value used with " + op);
        if (!PyValues.isNumeric(a) || !PyValues.isNumeric(b))
            throw new PyValues.PyError("TypeError: unsupported operand type(s) for " + op + ": '" + PyValues.typeName(a) + "' and '" + PyValues.typeName(b) + "'");
    }

    static Object add(Object a, Object b) {
        check("+", a, b);
        if (smallInts(a, b)) {
            try { return Math.addExact(asLong(a), asLong(b)); } catch (ArithmeticException e) { return norm(big(a).add(big(b))); }
        }
        if (isInt(a) && isInt(b)) return norm(big(a).add(big(b)));
        return dbl(a) + dbl(b);
    }

    static Object sub(Object a, Object b) {
        check("-", a, b);
        if (smallInts(a, b)) {
            try { return Math.subtractExact(asLong(a), asLong(b)); } catch (ArithmeticException e) { return norm(big(a).subtract(big(b))); }
        }
        if (isInt(a) && isInt(b)) return norm(big(a).subtract(big(b)));
        return dbl(a) - dbl(b);
    }

    static Object mul(Object a, Object b) {
        check("*", a, b);
        if (smallInts(a, b)) {
            try { return Math.multiplyExact(asLong(a), asLong(b)); } catch (ArithmeticException e) { return norm(big(a).multiply(big(b))); }
        }
        if (isInt(a) && isInt(b)) {
            if ((long) big(a).bitLength() + big(b).bitLength() > MAX_BITS + 1L) throw new PyValues.PyError("OverflowError: product exceeds " + MAX_BITS + " bits");
            return norm(big(a).multiply(big(b)));
        }
        return dbl(a) * dbl(b);
    }

    /** {@code a / b}: always a float. */
    static Object truediv(Object a, Object b) {
        check("/", a, b);
        if (isInt(a) && isInt(b)) {
            if (big(b).signum() == 0) throw new PyValues.PyError("ZeroDivisionError: division by zero");
            if (smallInts(a, b) && Math.abs(asLong(a)) < (1L << 53) && Math.abs(asLong(b)) < (1L << 53)) return dbl(a) / dbl(b);
            return new BigDecimal(big(a)).divide(new BigDecimal(big(b)), MathContext.DECIMAL128).doubleValue();
        }
        if (dbl(b) == 0) throw new PyValues.PyError("ZeroDivisionError: float division by zero");
        return dbl(a) / dbl(b);
    }

    /** {@code a // b}: rounded towards minus infinity. */
    static Object floordiv(Object a, Object b) {
        check("//", a, b);
        if (isInt(a) && isInt(b)) {
            if (big(b).signum() == 0) throw new PyValues.PyError("ZeroDivisionError: integer division or modulo by zero");
            if (smallInts(a, b) && !(asLong(a) == Long.MIN_VALUE && asLong(b) == -1)) return Math.floorDiv(asLong(a), asLong(b));
            BigInteger[] qr = big(a).divideAndRemainder(big(b));
            BigInteger q = qr[0];
            if (qr[1].signum() != 0 && qr[1].signum() != big(b).signum()) q = q.subtract(BigInteger.ONE);
            return norm(q);
        }
        return floatDivmod(dbl(a), dbl(b), "float floor division by zero")[0];
    }

    /** {@code a % b} on numbers: the sign of the divisor. */
    static Object mod(Object a, Object b) {
        check("%", a, b);
        if (isInt(a) && isInt(b)) {
            if (big(b).signum() == 0) throw new PyValues.PyError("ZeroDivisionError: integer modulo by zero");
            if (smallInts(a, b)) return Math.floorMod(asLong(a), asLong(b));
            BigInteger r = big(a).mod(big(b).abs());
            if (big(b).signum() < 0 && r.signum() != 0) r = r.add(big(b));
            return norm(r);
        }
        return floatDivmod(dbl(a), dbl(b), "float modulo")[1];
    }

    /** CPython's float divmod (Objects/floatobject.c). */
    private static double[] floatDivmod(double vx, double wx, String zeroMessage) {
        if (wx == 0) throw new PyValues.PyError("ZeroDivisionError: " + zeroMessage);
        double mod = vx % wx;
        double div = (vx - mod) / wx;
        if (mod != 0) {
            if ((wx < 0) != (mod < 0)) {
                mod += wx;
                div -= 1.0;
            }
        } else {
            mod = Math.copySign(0.0, wx);
        }
        double floordiv;
        if (div != 0) {
            floordiv = Math.floor(div);
            if (div - floordiv > 0.5) floordiv += 1.0;
        } else {
            floordiv = Math.copySign(0.0, vx / wx);
        }
        return new double[] {floordiv, mod};
    }

    /** {@code a ** b}. */
    static Object pow(Object a, Object b) {
        check("**", a, b);
        if (isInt(a) && isInt(b) && big(b).signum() >= 0) {
            BigInteger base = big(a);
            long bits = (long) base.bitLength() * big(b).min(BigInteger.valueOf(Integer.MAX_VALUE)).longValue();
            if (base.abs().compareTo(BigInteger.ONE) > 0 && (big(b).bitLength() > 31 || bits > MAX_BITS))
                throw new PyValues.PyError("OverflowError: power exceeds " + MAX_BITS + " bits");
            return norm(base.pow(big(b).intValue()));
        }
        double x = dbl(a), y = dbl(b);
        if (x == 0 && y < 0) throw new PyValues.PyError("ZeroDivisionError: 0.0 cannot be raised to a negative power");
        if (x < 0 && y != Math.rint(y)) throw new PyValues.PyError("TypeError: a negative number to a fractional power is a complex number");
        double r = Math.pow(x, y);
        if (Double.isInfinite(r) && !Double.isInfinite(x) && !Double.isInfinite(y)) throw new PyValues.PyError("OverflowError: (34, 'Numerical result out of range')");
        return r;
    }

    /** Unary minus. */
    static Object neg(Object a) {
        if (a == null) throw new PyValues.PyError("UndefinedError: an undefined value used with unary -");
        if (!PyValues.isNumeric(a)) throw new PyValues.PyError("TypeError: bad operand type for unary -: '" + PyValues.typeName(a) + "'");
        if (isInt(a)) return a instanceof BigInteger || asLong(a) == Long.MIN_VALUE ? norm(big(a).negate()) : -asLong(a);
        return -dbl(a);
    }

    /** Python's ordering ({@code <}): numbers by exact value, strings by code point, lists and tuples item by item. */
    static int compare(Object a, Object b, String op) {
        if (PyValues.isNumeric(a) && PyValues.isNumeric(b)) {
            if (isFloat(a) && Double.isNaN(dbl(a)) || isFloat(b) && Double.isNaN(dbl(b))) return 2; // unordered: every comparison false
            return PyValues.toBigDecimal(a).compareTo(PyValues.toBigDecimal(b));
        }
        if ((a instanceof String || a instanceof com.hubspot.jinjava.objects.SafeString) && (b instanceof String || b instanceof com.hubspot.jinjava.objects.SafeString))
            return Integer.signum(compareCodePoints(a.toString(), b.toString()));
        if (a instanceof java.util.List<?> x && b instanceof java.util.List<?> y && (a instanceof PyValues.PyTuple) == (b instanceof PyValues.PyTuple)
                && !(a instanceof PyValues.PyGenerator) && !(b instanceof PyValues.PyGenerator)) {
            for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
                if (!PyValues.pyEquals(x.get(i), y.get(i))) return compare(x.get(i), y.get(i), op);
            }
            return Integer.compare(x.size(), y.size());
        }
        throw new PyValues.PyError("TypeError: '" + op + "' not supported between instances of '" + PyValues.typeName(a) + "' and '" + PyValues.typeName(b) + "'");
    }

    /** Strings by code point (Java's compareTo orders by UTF-16 unit, which differs above U+FFFF). */
    static int compareCodePoints(String a, String b) {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i), cb = b.codePointAt(j);
            if (ca != cb) return Integer.compare(ca, cb);
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
