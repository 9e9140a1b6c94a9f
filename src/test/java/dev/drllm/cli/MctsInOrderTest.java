package dev.drllm.cli;

import dev.drllm.eval.Question;
import dev.drllm.eval.Task;
import dev.drllm.mcts.Curation;
import dev.drllm.mcts.MctsRecord;
import dev.drllm.util.ItemWorkers.Next;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

/** The MCTS workers' gate: curation in question order, and no question started that it could do without. */
class MctsInOrderTest {
    private static final List<Question> QS = IntStream.range(0, 8)
            .mapToObj(i -> new Question(Task.parse("dart"), 10 + i, "q" + i, "What is " + i + "?", List.of(), "1", 1)).toList();

    /** 'c' right on the full path, 'f' fixed by the search, 'x' no correct path. */
    private static MctsRecord record(int position, char kind) {
        List<Integer> path = List.of(0, 1, 3);
        List<Integer> best = kind == 'x' ? null : path;
        return new MctsRecord("dart", "tiny", 10 + position, "q" + position, "What is " + position + "?", "1", 1, 4, kind == 'c', best,
                best == null ? List.of() : List.of(best), 3, 2, position, 50, "1", best == null ? null : "1", 0.1, null);
    }

    @Test
    void waitsWhileQuestionsInFlightCouldFillTheQuota() {
        MctsCommand.InOrder in = new MctsCommand.InOrder(QS, new Curation.Rule(2, 0));
        assertEquals(Next.GO, in.before(QS.get(0)));
        assertEquals(Next.GO, in.before(QS.get(1)), "one question in flight cannot fill a quota of 2");
        assertEquals(Next.WAIT, in.before(QS.get(2)), "questions 0 and 1, in flight, could");
        in.add(record(1, 'c'));
        assertEquals(Next.WAIT, in.before(QS.get(2)), "1 solved and 0 in flight still could");
        in.add(record(0, 'x'));
        assertEquals(Next.GO, in.before(QS.get(2)), "0 unsolved: one kept, the quota needs another");
        assertEquals(Next.WAIT, in.before(QS.get(3)));
        in.add(record(2, 'c'));
        assertTrue(in.complete());
        assertEquals(Next.STOP, in.before(QS.get(3)));
    }

    @Test
    void theFixTargetCountsOnlyQuestionsThatCouldBeFixes() {
        MctsCommand.InOrder in = new MctsCommand.InOrder(QS, new Curation.Rule(2, 0.5));
        in.add(record(0, 'c'));
        in.add(record(1, 'c'));
        assertFalse(in.complete(), "quota full, no fix yet");
        assertEquals(Next.GO, in.before(QS.get(2)));
        assertEquals(Next.WAIT, in.before(QS.get(3)), "question 2 in flight could be the fix");
        in.add(record(2, 'c'));
        assertEquals(Next.GO, in.before(QS.get(3)), "it was not");
        in.add(record(3, 'f'));
        assertEquals(Next.STOP, in.before(QS.get(4)));
    }

    @Test
    void labelAllNeverWaits() {
        MctsCommand.InOrder in = new MctsCommand.InOrder(QS, Curation.Rule.labelAll());
        for (Question q : QS) assertEquals(Next.GO, in.before(q));
    }
}
