package dev.drllm.eval;

import java.util.List;

/**
 * One question of a task file. {@code index} is its 0-based line order among the file's questions
 * (the stable key for sharding and resume); {@code gold} is the answer letter (ARC, always A, B, …
 * by position as the reference maps {@code answerKey}) or the reference answer text (DART).
 * {@code choices} is empty and {@code level} 0 where the layout has none.
 */
public record Question(Task task, int index, String id, String text, List<String> choices, String gold, int level) {
    public Question {
        choices = List.copyOf(choices);
    }
}
