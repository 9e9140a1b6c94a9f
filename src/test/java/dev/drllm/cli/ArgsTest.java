package dev.drllm.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Text options decoded by a non-UTF-8 locale must not be tokenized as replacement characters. */
class ArgsTest {
    @Test
    void undecodableArgumentsAreAUserError() {
        // what the JVM hands over for "日本" in a C locale: one U+FFFD per byte
        String mangled = "\uFFFD".repeat(6);
        UserException e = assertThrows(UserException.class, () -> Args.text("--prompt", mangled, "ANSI_X3.4-1968"));
        assertTrue(e.getMessage().startsWith("--prompt has characters the locale's charset ANSI_X3.4-1968 cannot decode"), e.getMessage());
        // a UTF-8 locale decoded what was there: a U+FFFD the user typed is kept
        assertEquals(mangled, Args.text("--prompt", mangled, "UTF-8"));
        assertEquals("日本", Args.text("--text", "日本", "ANSI_X3.4-1968"));
        assertNull(Args.text("--text", null, "ANSI_X3.4-1968"));
    }
}
