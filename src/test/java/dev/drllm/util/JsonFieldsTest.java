package dev.drllm.util;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one strict field reader: each type fault names the file, the line and the field, and nothing is coerced. */
class JsonFieldsTest {
    private static final Path FILE = Path.of("rec.jsonl");

    private static JsonFields of(String json) throws Exception {
        return JsonFields.of(Json.MAPPER.readTree(json), FILE, 7);
    }

    private static void fails(String json, java.util.function.Consumer<JsonFields> read, String expected) throws Exception {
        JsonFields f = of(json);
        DatasetException e = assertThrows(DatasetException.class, () -> read.accept(f), json);
        assertEquals(7, e.line());
        assertEquals(FILE, e.file());
        assertTrue(e.getMessage().startsWith("rec.jsonl:7: ") && e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void readsWellTypedFields() throws Exception {
        JsonFields f = of("{\"s\":\"x\",\"n\":3,\"l\":-5000000000,\"d\":1.5,\"b\":true,\"a\":[1,2],\"o\":{\"k\":\"v\"},\"z\":null}");
        assertEquals("x", f.text("s"));
        assertEquals(3, f.nonNegativeInt("n"));
        assertEquals(3, f.intIn("n", 1, 3));
        assertEquals(-5000000000L, f.longValue("l"));
        assertEquals(1.5, f.finite("d"));
        assertEquals(1.5f, f.finiteFloat("d"));
        assertTrue(f.bool("b"));
        assertArrayEquals(new int[]{1, 2}, f.ints("a", 2));
        assertEquals("v", f.object("o").text("k"));
        assertEquals("3", f.textOrNumber("n"));
        // optional: absent and null give the default, present is held to the type
        assertNull(f.optText("z"));
        assertNull(f.optText("missing"));
        assertEquals(9, f.optNonNegativeInt("z", 9));
        assertNull(f.optObject("missing"));
        assertNull(f.optInts("z", 4));
    }

    @Test
    void refusesCoercions() throws Exception {
        fails("{\"n\":\"abc\"}", f -> f.nonNegativeInt("n"), "'n' must be a non-negative integer, found \"abc\"");
        fails("{\"n\":2.7}", f -> f.nonNegativeInt("n"), "'n' must be a non-negative integer");
        fails("{\"n\":-1}", f -> f.optNonNegativeInt("n", 0), "'n' must be a non-negative integer");
        fails("{\"n\":3000000000}", f -> f.nonNegativeInt("n"), "'n'");
        fails("{\"n\":5}", f -> f.intIn("n", 1, 4), "'n' must be an integer in 1..4, found 5");
        fails("{\"s\":5}", f -> f.text("s"), "'s' must be a string, found a number");
        fails("{}", f -> f.text("s"), "missing field 's'");
        fails("{\"s\":null}", f -> f.text("s"), "missing field 's'");
        fails("{\"s\":\" \"}", f -> f.nonBlankText("s"), "'s' is empty");
        fails("{\"b\":1}", f -> f.bool("b"), "'b' must be true or false");
        fails("{\"d\":\"1.5\"}", f -> f.finite("d"), "'d' must be a finite number");
        fails("{\"d\":1e400}", f -> f.finite("d"), "'d' must be a finite number");
        fails("{\"d\":1e39}", f -> f.finiteFloat("d"), "'d' must be a finite float");
        fails("{\"a\":[1,2,3]}", f -> f.ints("a", 2), "'a' must be an array of at most 2 integers");
        fails("{\"a\":[1,\"2\"]}", f -> f.ints("a", 2), "'a[1]' must be an integer");
        fails("{\"a\":[1,1e39]}", f -> f.finiteFloats(f.node().get("a"), "a", 2), "'a[1]' is not a finite number");
        fails("{\"a\":[1]}", f -> f.finiteFloats(f.node().get("a"), "a", 2), "'a' must be an array of 2 numbers");
        fails("{\"o\":{\"k\":1}}", f -> f.object("o").text("k"), "'o.k' must be a string");
        fails("{\"o\":[]}", f -> f.object("o"), "'o' must be an object, found an array");
        assertThrows(DatasetException.class, () -> JsonFields.of(Json.MAPPER.readTree("[1]"), FILE, 1));
        assertThrows(DatasetException.class, () -> JsonFields.of(null, FILE, 1));
    }
}
