package dev.drllm.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class GraderTest {
    /** predicted, gold, expected verdict. */
    private static final Object[][] MATH = {
            {"616", "616", true},
            {" 616 ", "616", true},
            {"617", "616", false},
            {"-12", "-12", true},
            {"12", "-12", false},
            {"\u221212", "-12", true}, // U+2212 MINUS SIGN, as typeset answers often carry
            {"- 12", "-12", true},
            {"+5", "5", true},
            {"--5", "5", true},
            {"3.0", "3", true},
            {"3.50", "3.5", true},
            {".5", "0.5", true},
            {"0.5", "\\frac{1}{2}", true},
            {"\\frac12", "1/2", true},
            {"\\dfrac{1}{2}", "\\frac{1}{2}", true},
            {"\\tfrac{3}{4}", "0.75", true},
            {"2/4", "\\frac{1}{2}", true},
            {"-\\frac{1}{2}", "\\frac{-1}{2}", true},
            {"\\frac{-1}{2}", "-0.5", true},
            {"\\frac{1}{-2}", "-1/2", true},
            {"0.33", "\\frac{1}{3}", false},
            {"1/0", "1/0", true}, // not a number on either side: equal as text
            {"1/0", "0", false},
            {"\\left(1, 2\\right)", "(1,2)", true},
            {"(1,2)", "(2,1)", false},
            {"$42$", "42", true},
            {"\\$42", "42", true},
            {"42 \\text{ cm}", "42", true},
            {"42\\text{cm}^2", "42", true},
            {"42 \\mbox{ dollars}", "42", true},
            {"42 meters", "42", true},
            {"42 square units", "42", true},
            {"42m", "42", false}, // a glued letter is not a unit: 42m could be 42·m
            {"90^\\circ", "90", true},
            {"90^{\\circ}", "90", true},
            {"50\\%", "50", true},
            {"x = 7", "7", true},
            {"x=7", "7", true},
            {"1,000", "1000", true},
            {"1,000,000", "10^6", false}, // no exponent arithmetic
            {"\\text{Monday}", "Monday", true},
            {"\\text{yes}", "Yes", true},
            {"\\sqrt2", "\\sqrt{2}", true},
            {"2\\sqrt{3}", "2\\sqrt{3}", true},
            {"2\\sqrt{3}", "3\\sqrt{2}", false},
            {"{5}", "5", true},
            {"5.", "5", true},
            {"\\!5", "5", true},
            {"10\\,000", "10000", true},
            {"", "5", false},
            {"   ", "5", false},
            {"1.2.3", "1.2.3", true},
            {"1.2.3", "1.23", false},
            {"(1 + 2)", "3", false}, // no arithmetic on sums: the gold is already simplified
    };

    @Test
    void mathTable() {
        for (Object[] row : MATH) {
            String p = (String) row[0], g = (String) row[1];
            boolean want = (Boolean) row[2];
            assertEquals(want, MathGrader.equivalent(p, g), () -> "'" + p + "' vs '" + g + "' (normalised '" + MathGrader.normalize(p) + "' vs '" + MathGrader.normalize(g) + "')");
            assertEquals(want, MathGrader.equivalent(g, p), () -> "symmetry: '" + g + "' vs '" + p + "'");
        }
    }

    @Test
    void boxedExtraction() {
        assertEquals("616", Rewards.lastBoxed("\\boxed{616}"));
        assertEquals("616", Rewards.lastBoxed("\\boxed{616}<junk>"));
        assertEquals("\\frac{1}{2}", Rewards.lastBoxed("so \\boxed{\\frac{1}{2}} done"));
        assertEquals("{a}{b{c}}", Rewards.lastBoxed("\\boxed{{a}{b{c}}}"));
        assertEquals("2", Rewards.lastBoxed("\\boxed{1} then \\boxed{2}"));
        assertEquals("1", Rewards.lastBoxed("\\boxed{1} then \\boxed{2"), "a cut-off last box falls back to the complete one");
        assertNull(Rewards.lastBoxed("\\boxed{12"));
        assertNull(Rewards.lastBoxed("12"));
        assertEquals("\\{1\\}", Rewards.lastBoxed("\\boxed{\\{1\\}}"));
    }

    @Test
    void arcLetters() {
        List<String[]> rows = List.of(
                new String[]{"B", "B"}, new String[]{" b ", "B"}, new String[]{"B.", "B"}, new String[]{"Answer: C", "C"},
                new String[]{"Answer:D.", "D"}, new String[]{"E", null}, new String[]{"BC", null}, new String[]{"(B)", null},
                new String[]{"The answer is B", null}, new String[]{"", null}, new String[]{"B\n", "B"});
        for (String[] r : rows) assertEquals(r[1], Rewards.arcLetter(r[0]), "reply '" + r[0] + "'");
    }

    @Test
    void rewardsPerTask() {
        Question arc = new Question(Task.ARC, 0, "a", "q?", List.of("x", "y", "z", "w"), "B", 0);
        assertTrue(Rewards.correct(arc, "B", false));
        assertTrue(Rewards.correct(arc, "b.", false));
        assertFalse(Rewards.correct(arc, "C", false));
        assertFalse(Rewards.correct(arc, "", false));
        Question dart = new Question(Task.DART, 0, "d", "What is 1/2?", List.of(), "\\frac{1}{2}", 2);
        assertTrue(Rewards.correct(dart, "1/2}", true), "base prompt ends inside \\boxed{");
        assertTrue(Rewards.correct(dart, "0.5}\n\nQuestion: junk", true));
        assertFalse(Rewards.correct(dart, "0.5", true), "unclosed box");
        assertTrue(Rewards.correct(dart, "The answer is \\boxed{\\dfrac12}.", false));
        assertFalse(Rewards.correct(dart, "1/2}", false), "instruct replies must box themselves");
    }
}
