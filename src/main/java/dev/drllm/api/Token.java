package dev.drllm.api;

/**
 * One generated token as it is streamed.
 *
 * @param id    the token id
 * @param index 0 for the first new token
 * @param text  the text this token completes, or null when the model has no tokenizer; may be
 *              empty while a multi-byte character is still incomplete
 */
public record Token(int id, int index, String text) {}
