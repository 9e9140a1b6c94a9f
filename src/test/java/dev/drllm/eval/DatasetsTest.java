package dev.drllm.eval;

import dev.drllm.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.drllm.util.DatasetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class DatasetsTest {
    @TempDir Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void loadsTheBundledSplits() {
        List<Question> arc = Datasets.load(Fixtures.projectDir().resolve("data/tasks/arc-train.jsonl"), Task.ARC);
        assertEquals(1000, arc.size());
        Question q = arc.get(0);
        assertEquals("train-arc-0", q.id());
        assertEquals(4, q.choices().size());
        assertEquals("B", q.gold());
        assertEquals("Question: Oda is taller than Hal. Hal is taller than Ida. Who is the tallest?\n(A) Hal\n(B) Oda\n(C) Ida\n(D) Jon\nAnswer: ",
                Prompts.base(q));
        List<Question> dart = Datasets.load(Fixtures.projectDir().resolve("data/tasks/dart-train.jsonl"), Task.DART);
        assertEquals(1000, dart.size());
        assertEquals("616", dart.get(1).gold());
        assertEquals(3, dart.get(1).level());
        assertEquals("Question: What is $77 \\times 8$?\nAnswer: \\boxed{", Prompts.base(dart.get(1)));
    }

    @Test
    void arcLabelsByPositionAndMissingIds() throws IOException {
        Path p = write("a.jsonl", "{\"question\":\"q\",\"choices\":{\"text\":[\"a\",\"b\",\"c\"],\"label\":[\"1\",\"2\",\"3\"]},\"answerKey\":\"3\"}\n\n");
        Question q = Datasets.load(p, Task.ARC).get(0);
        assertEquals("C", q.gold());
        assertEquals("0", q.id());
        assertTrue(Prompts.instruct(q).contains("C. c\nAnswer with a single letter"));
    }

    @Test
    void dartNumericAnswerAndNoMetadata() throws IOException {
        Path p = write("d.jsonl", "{\"query\":\"What?\",\"gt_ans\":12}\n");
        Question q = Datasets.load(p, Task.DART).get(0);
        assertEquals("12", q.gold());
        assertEquals(0, q.level());
    }

    @Test
    void faultsNameFileLineAndField() throws IOException {
        String ok = "{\"query\":\"What?\",\"gt_ans\":\"1\"}\n";
        String[][] bad = {
                {ok + "{\"query\":\"x\"}\n", "2", "gt_ans"},
                {ok + "{not json\n", "2", "not valid JSON"},
                {ok + "[1,2]\n", "2", "JSON object"},
                {"{\"query\":5,\"gt_ans\":\"1\"}\n", "1", "'query' must be a string"},
                {"{\"query\":\"q\",\"gt_ans\":\"1\",\"query_metadata\":{\"level\":\"hard\"}}\n", "1", "level"},
                {ok + ok.replace("{", "{\"id\":\"x\",") + ok.replace("{", "{\"id\":\"x\","), "3", "duplicate id"},
                {"\n\n", "0", "no questions"},
        };
        for (String[] b : bad) {
            Path p = write("bad.jsonl", b[0]);
            DatasetException e = assertThrows(DatasetException.class, () -> Datasets.load(p, Task.DART), b[0]);
            assertEquals(Long.parseLong(b[1]), e.line(), e.getMessage());
            assertTrue(e.getMessage().contains(b[2]), e.getMessage());
            assertTrue(e.getMessage().contains("bad.jsonl"), e.getMessage());
        }
        String[][] badArc = {
                {"{\"question\":\"q\",\"choices\":{\"text\":[\"a\",\"b\"],\"label\":[\"A\"]},\"answerKey\":\"A\"}", "choices.label' has 1"},
                {"{\"question\":\"q\",\"choices\":{\"text\":[\"a\",\"b\"],\"label\":[\"A\",\"B\"]},\"answerKey\":\"C\"}", "answerKey"},
                {"{\"question\":\"q\",\"choices\":{\"text\":[\"a\",\"b\"]},\"answerKey\":\"A\"}", "choices.label"},
                {"{\"question\":\"q\",\"answerKey\":\"A\"}", "'choices'"},
        };
        for (String[] b : badArc) {
            Path p = write("arc.jsonl", b[0]);
            DatasetException e = assertThrows(DatasetException.class, () -> Datasets.load(p, Task.ARC));
            assertTrue(e.getMessage().contains(b[1]), e.getMessage());
            assertEquals(1, e.line());
        }
        // the other task's file: the error says which --task the line fits
        Path dart = write("dart.jsonl", "{\"query\":\"What?\",\"gt_ans\":\"1\"}\n");
        assertTrue(assertThrows(DatasetException.class, () -> Datasets.load(dart, Task.ARC)).getMessage()
                .endsWith("dart.jsonl:1: missing field 'question' (this is a DART-Math line: --task dart?)"));
        Path arc = write("arc2.jsonl", "{\"question\":\"q\",\"choices\":{\"text\":[\"a\",\"b\"],\"label\":[\"A\",\"B\"]},\"answerKey\":\"A\"}\n");
        assertTrue(assertThrows(DatasetException.class, () -> Datasets.load(arc, Task.DART)).getMessage()
                .endsWith("arc2.jsonl:1: missing field 'query' (this is an ARC line: --task arc?)"));
        Path bin = dir.resolve("bin.jsonl");
        Files.write(bin, new byte[]{'{', (byte) 0xff, (byte) 0xfe, '}', '\n'});
        assertThrows(DatasetException.class, () -> Datasets.load(bin, Task.DART));
        assertThrows(DatasetException.class, () -> Datasets.load(dir.resolve("missing.jsonl"), Task.DART));
    }
}
