package dev.drllm.util;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;

/**
 * The one strict reader of a JSON record's fields, used by every parser of drllm's record files
 * (task data, eval progress, MCTS records, edit-scan headers and records). Each getter checks the
 * field's JSON type and range and fails with a {@link DatasetException} naming the file, the line
 * and the field, so all record files share one strictness: a string is never read as a number
 * ("abc" as 0), a fraction never truncated to an integer (2.7 as 2), a float never taken beyond
 * its range (1e39 as infinity). An optional field may be absent or null; when present it is held
 * to the same type as a required one.
 */
public final class JsonFields {
    private final JsonNode node;
    private final Path file;
    private final long line;
    /** Prepended to field names in messages ("choices." for a nested object). */
    private final String prefix;

    private JsonFields(JsonNode node, Path file, long line, String prefix) {
        this.node = node;
        this.file = file;
        this.line = line;
        this.prefix = prefix;
    }

    /** The fields of {@code node}, which must be a JSON object; faults name {@code file}:{@code line}. */
    public static JsonFields of(JsonNode node, Path file, long line) {
        if (node == null || !node.isObject()) throw new DatasetException(file, line, "expected a JSON object");
        return new JsonFields(node, file, line, "");
    }

    public JsonNode node() { return node; }

    /** A fault of this record (for checks beyond a field's type: duplicates, cross-field rules). */
    public DatasetException fault(String problem) {
        return new DatasetException(file, line, problem);
    }

    /** Whether {@code field} is present and not null. */
    public boolean has(String field) {
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    /** The nested object {@code field} (required); its faults name the field as "field.inner". */
    public JsonFields object(String field) {
        JsonNode v = required(field);
        if (!v.isObject()) throw fault(name(field) + " must be an object, found " + kind(v));
        return new JsonFields(v, file, line, prefix + field + ".");
    }

    /** The nested object {@code field}, or null when absent or null. */
    public JsonFields optObject(String field) {
        return has(field) ? object(field) : null;
    }

    /** The array {@code field} (required). */
    public JsonNode array(String field) {
        JsonNode v = required(field);
        if (!v.isArray()) throw fault(name(field) + " must be an array, found " + kind(v));
        return v;
    }

    /** A required string. */
    public String text(String field) {
        JsonNode v = required(field);
        if (!v.isTextual()) throw fault(name(field) + " must be a string, found " + kind(v));
        return v.asText();
    }

    /** A required string that is not blank. */
    public String nonBlankText(String field) {
        String s = text(field);
        if (s.isBlank()) throw fault(name(field) + " is empty");
        return s;
    }

    /** A string, or null when the field is absent or null. */
    public String optText(String field) {
        return has(field) ? text(field) : null;
    }

    /** A required string or number, as text (ids and answers that files write either way). */
    public String textOrNumber(String field) {
        JsonNode v = required(field);
        if (!v.isTextual() && !v.isNumber()) throw fault(name(field) + " must be a string or number, found " + kind(v));
        return v.asText();
    }

    /** A required boolean. */
    public boolean bool(String field) {
        JsonNode v = required(field);
        if (!v.isBoolean()) throw fault(name(field) + " must be true or false, found " + kind(v));
        return v.booleanValue();
    }

    /** A required integer in {@code lo..hi}. */
    public int intIn(String field, int lo, int hi) {
        JsonNode v = required(field);
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < lo || v.asInt() > hi) {
            throw fault(name(field) + " must be an integer in " + lo + ".." + hi + ", found " + v);
        }
        return v.asInt();
    }

    /** A required non-negative integer that fits an int. */
    public int nonNegativeInt(String field) {
        JsonNode v = required(field);
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 0) {
            throw fault(name(field) + " must be a non-negative integer, found " + v);
        }
        return v.asInt();
    }

    /** A non-negative int, or {@code absent} when the field is absent or null. */
    public int optNonNegativeInt(String field, int absent) {
        return has(field) ? nonNegativeInt(field) : absent;
    }

    /** A required non-negative integer that fits a long. */
    public long nonNegativeLong(String field) {
        long x = longValue(field);
        if (x < 0) throw fault(name(field) + " must be a non-negative integer, found " + x);
        return x;
    }

    /** A required integer (any sign) that fits a long. */
    public long longValue(String field) {
        JsonNode v = required(field);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) throw fault(name(field) + " must be an integer, found " + v);
        return v.asLong();
    }

    /** A long, or {@code absent} when the field is absent or null. */
    public long optLong(String field, long absent) {
        return has(field) ? longValue(field) : absent;
    }

    /** A required finite number. */
    public double finite(String field) {
        JsonNode v = required(field);
        if (!v.isNumber() || !Double.isFinite(v.doubleValue())) throw fault(name(field) + " must be a finite number, found " + v);
        return v.doubleValue();
    }

    /** A finite number, or {@code absent} when the field is absent or null. */
    public double optFinite(String field, double absent) {
        return has(field) ? finite(field) : absent;
    }

    /** A required number that is finite as a float (1e39 reads as a double but is infinite as a float). */
    public float finiteFloat(String field) {
        double d = finite(field);
        if (!Float.isFinite((float) d)) throw fault(name(field) + " must be a finite float, found " + d);
        return (float) d;
    }

    /** A required array of at most {@code maxLength} ints. */
    public int[] ints(String field, int maxLength) {
        JsonNode a = required(field);
        if (!a.isArray() || a.size() > maxLength) throw fault(name(field) + " must be an array of at most " + maxLength + " integers");
        return ints(a, field);
    }

    /** An array of ints, or null when the field is absent or null. */
    public int[] optInts(String field, int maxLength) {
        return has(field) ? ints(field, maxLength) : null;
    }

    /** The elements of {@code array} (an element of field {@code field}, e.g. "good_paths[3]") as ints. */
    public int[] ints(JsonNode array, String field) {
        if (array == null || !array.isArray()) throw fault(name(field) + " must be an array of integers, found " + kind(array));
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode x = array.get(i);
            if (!x.isIntegralNumber() || !x.canConvertToInt()) throw fault(name(field + "[" + i + "]") + " must be an integer, found " + x);
            out[i] = x.asInt();
        }
        return out;
    }

    /** {@code array} (named {@code field} in messages) as exactly {@code length} floats, each finite as a float. */
    public float[] finiteFloats(JsonNode array, String field, int length) {
        if (array == null || !array.isArray() || array.size() != length) {
            throw fault(name(field) + " must be an array of " + length + " numbers");
        }
        float[] out = new float[length];
        for (int i = 0; i < length; i++) {
            JsonNode x = array.get(i);
            if (!x.isNumber() || !Float.isFinite(x.floatValue())) throw fault(name(field + "[" + i + "]") + " is not a finite number");
            out[i] = x.floatValue();
        }
        return out;
    }

    private JsonNode required(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) throw fault("missing field " + name(field));
        return v;
    }

    private String name(String field) {
        return "'" + prefix + field + "'";
    }

    private static String kind(JsonNode v) {
        if (v == null || v.isNull()) return "null";
        if (v.isTextual()) return "a string";
        if (v.isNumber()) return "a number";
        if (v.isBoolean()) return "a boolean";
        if (v.isArray()) return "an array";
        return "an object";
    }
}
