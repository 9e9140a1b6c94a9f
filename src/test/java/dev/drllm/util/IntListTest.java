package dev.drllm.util;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IntListTest {
    @Test
    void parsesPlainAndBracketedListsWithSpaces() {
        assertArrayEquals(new int[]{0, 1, 1, 3}, IntList.parse("0,1,1,3", IllegalArgumentException::new));
        assertArrayEquals(new int[]{5, -2, 7}, IntList.parse(" [5, -2 ,7] ", IllegalArgumentException::new));
        assertArrayEquals(new int[0], IntList.parse("[]", IllegalArgumentException::new));
        assertArrayEquals(new int[0], IntList.parse("  ", IllegalArgumentException::new));
    }

    @Test
    void reportsTheOffendingPartThroughTheCallersException() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> IntList.parse("1, x2 ,3", part -> new IllegalStateException("bad: " + part)));
        assertEquals("bad: x2", e.getMessage());
        assertThrows(IllegalStateException.class, () -> IntList.parse("1,,3", part -> new IllegalStateException(part)));
        assertThrows(IllegalStateException.class, () -> IntList.parse("99999999999", part -> new IllegalStateException(part)));
    }
}
