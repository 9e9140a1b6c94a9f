package dev.drllm.train;

import dev.drllm.Fixtures;
import dev.drllm.util.DatasetException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabelSetTest {
    @TempDir Path tmp;

    static String line(String task, int index, String path) {
        return "{\"task\":\"" + task + "\",\"index\":" + index + ",\"id\":\"train-" + task + "-" + index + "\",\"num_layers\":4,"
                + "\"original_correct\":true,\"best_path\":" + path + ",\"good_paths\":[]}";
    }

    @Test
    void joinsLabelsWithTaskFilesInTaskAndIndexOrder() throws Exception {
        Path labels = tmp.resolve("l.jsonl");
        // Written in completion order, as parallel MCTS appends them.
        Files.write(labels, List.of(line("dart", 2, "[0,1,1,3]"), line("arc", 5, "[0,1,2,3]"), line("dart", 0, "null"),
                line("arc", 1, "[0,2,3]")));
        Path project = Fixtures.projectDir();
        List<Path> data = List.of(project.resolve("data/tasks/dart-train.jsonl"), project.resolve("data/tasks/arc-train.jsonl"));
        LabelSet.Loaded l = LabelSet.load(List.of(labels), data, 4, q -> new int[]{q.index() + 1});
        assertEquals(1, l.unsolved());
        List<String> ids = new ArrayList<>();
        l.examples().forEach(e -> ids.add(e.id()));
        assertEquals(List.of("arc/train-arc-1", "arc/train-arc-5", "dart/train-dart-2"), ids);
        assertArrayEquals(new int[]{1, 0, 1, 1}, l.examples().get(0).counts());
        assertArrayEquals(new int[]{1, 2, 0, 1}, l.examples().get(2).counts());
        assertArrayEquals(new int[]{6}, l.examples().get(1).prompt());

        Files.write(labels, List.of(line("arc", 1, "[0,2,3]"), line("arc", 1, "[0,1,2,3]")));
        DatasetException twice = assertThrows(DatasetException.class, () -> LabelSet.load(List.of(labels), data, 4, q -> new int[]{1}));
        assertTrue(twice.getMessage().contains("labelled twice"), twice.getMessage());
        assertThrows(DatasetException.class, () -> LabelSet.load(List.of(labels), data, 5, q -> new int[]{1}));
    }
}
