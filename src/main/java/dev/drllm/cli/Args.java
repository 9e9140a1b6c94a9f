package dev.drllm.cli;

import dev.drllm.util.IntList;

/** Parsing helpers for list-valued options. */
final class Args {
    private Args() {}

    /** "1,2,3" → {1, 2, 3}. */
    static int[] ids(String text) {
        return IntList.parse(text, part -> new UserException("'" + part + "' is not a token id"));
    }
}
