package dev.drllm.cli;

/** Parsing helpers for list-valued options. */
final class Args {
    private Args() {}

    /** "1,2,3" → {1, 2, 3}. */
    static int[] ids(String text) {
        String t = text.strip();
        if (t.startsWith("[") && t.endsWith("]")) t = t.substring(1, t.length() - 1);
        if (t.isBlank()) return new int[0];
        String[] parts = t.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new UserException("'" + parts[i].strip() + "' is not a token id");
            }
        }
        return out;
    }
}
