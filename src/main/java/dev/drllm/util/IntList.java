package dev.drllm.util;

import java.util.function.Function;

/** Comma-separated integers, as options and files write paths and token ids: "1,2,3" or "[1, 2, 3]". */
public final class IntList {
    private IntList() {}

    /**
     * Parses {@code text}; an empty list (or "[]") gives an empty array. A part that is not an
     * integer is reported through {@code fault}, which gets the stripped part and builds the
     * caller's own exception, so each caller names what the numbers are.
     */
    public static int[] parse(String text, Function<String, ? extends RuntimeException> fault) {
        String t = text.strip();
        if (t.startsWith("[") && t.endsWith("]")) t = t.substring(1, t.length() - 1);
        if (t.isBlank()) return new int[0];
        String[] parts = t.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].strip();
            try {
                out[i] = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw fault.apply(part);
            }
        }
        return out;
    }
}
