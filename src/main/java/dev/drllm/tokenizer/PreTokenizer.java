package dev.drllm.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code pre_tokenizer} of tokenizer.json: cuts a text segment into the pieces BPE merges
 * within. Supports {@code Split} (regex or literal, every delimiter behaviour, invert),
 * {@code ByteLevel} (with or without its GPT-2 regex, optional prefix space), {@code Digits} and
 * {@code Sequence}; anything else is rejected at load time rather than tokenised differently.
 */
final class PreTokenizer {
    /** GPT-2's split regex, which the ByteLevel pre-tokenizer applies when {@code use_regex} is set. */
    static final String GPT2_REGEX =
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    enum Behavior { REMOVED, ISOLATED, MERGED_WITH_PREVIOUS, MERGED_WITH_NEXT, CONTIGUOUS }

    private sealed interface Step permits Split, ByteLevelStep {}

    private record Split(SplitPattern pattern, Behavior behavior, boolean invert) implements Step {}

    private record ByteLevelStep(boolean addPrefixSpace, SplitPattern regex) implements Step {}

    private final List<Step> steps;
    private final boolean byteLevel;

    private PreTokenizer(List<Step> steps) {
        this.steps = List.copyOf(steps);
        this.byteLevel = steps.stream().anyMatch(s -> s instanceof ByteLevelStep);
    }

    static PreTokenizer parse(JsonNode node, Path file) {
        List<Step> steps = new ArrayList<>();
        collect(node, "pre_tokenizer", file, steps);
        return new PreTokenizer(steps);
    }

    private static void collect(JsonNode node, String where, Path file, List<Step> out) {
        if (node == null || node.isNull()) return;
        String type = TokenizerJson.type(node, where, file);
        switch (type) {
            case "Sequence" -> {
                JsonNode list = TokenizerJson.array(node, "pretokenizers", where, file);
                for (int i = 0; i < list.size(); i++) collect(list.get(i), where + ".pretokenizers[" + i + "]", file, out);
            }
            case "Split" -> out.add(split(node, where, file));
            case "ByteLevel" -> {
                boolean prefix = TokenizerJson.bool(node, "add_prefix_space", true, where, file);
                boolean useRegex = TokenizerJson.bool(node, "use_regex", true, where, file);
                out.add(new ByteLevelStep(prefix, useRegex ? SplitPattern.compile(GPT2_REGEX, file, where) : null));
            }
            case "Digits" -> {
                boolean individual = TokenizerJson.bool(node, "individual_digits", false, where, file);
                // HF uses char::is_numeric, i.e. the N categories
                out.add(new Split(SplitPattern.literal(Pattern.compile("\\p{N}"), file, where), individual ? Behavior.ISOLATED : Behavior.CONTIGUOUS, false));
            }
            default -> throw new TokenizerException(file, where, "unsupported pre-tokenizer type '" + type + "'");
        }
    }

    private static Split split(JsonNode node, String where, Path file) {
        JsonNode pat = node.get("pattern");
        SplitPattern pattern;
        if (pat != null && pat.has("Regex") && pat.get("Regex").isTextual()) {
            pattern = SplitPattern.compile(pat.get("Regex").asText(), file, where + ".pattern.Regex");
        } else if (pat != null && pat.has("String") && pat.get("String").isTextual()) {
            pattern = SplitPattern.literal(Pattern.compile(Pattern.quote(pat.get("String").asText())), file, where + ".pattern.String");
        } else {
            throw new TokenizerException(file, where + ".pattern", "expected {\"Regex\": …} or {\"String\": …}");
        }
        String b = TokenizerJson.text(node, "behavior", where, file);
        Behavior behavior = switch (b) {
            case "Removed" -> Behavior.REMOVED;
            case "Isolated" -> Behavior.ISOLATED;
            case "MergedWithPrevious" -> Behavior.MERGED_WITH_PREVIOUS;
            case "MergedWithNext" -> Behavior.MERGED_WITH_NEXT;
            case "Contiguous" -> Behavior.CONTIGUOUS;
            default -> throw new TokenizerException(file, where + ".behavior", "unknown split behavior '" + b + "'");
        };
        return new Split(pattern, behavior, TokenizerJson.bool(node, "invert", false, where, file));
    }

    /** Whether pieces come out in the byte-level alphabet (so BPE symbols are bytes). */
    boolean byteLevel() { return byteLevel; }

    /**
     * Hands the pieces of {@code segment} to {@code sink} in order, one at a time, until it returns
     * false; returns false when it stopped early. The same pieces as {@link #split}, but each
     * goes to the sink as soon as it is cut, so a caller that stops early (a context limit) does
     * not cut, or hold, the rest of a long text. Never hands over an empty piece.
     */
    boolean forEachPiece(String segment, java.util.function.Predicate<String> sink) {
        return !segment.isEmpty() && emit(segment, 0, sink);
    }

    private boolean emit(String piece, int step, java.util.function.Predicate<String> sink) {
        if (step == steps.size()) return sink.test(piece);
        switch (steps.get(step)) {
            case Split s when s.behavior() == Behavior.ISOLATED -> {
                return isolated(piece, s.pattern(), p -> emit(p, step + 1, sink));
            }
            case Split s -> {
                List<String> parts = new ArrayList<>();
                splitOn(piece, s.pattern(), s.behavior(), s.invert(), parts);
                for (String p : parts) if (!emit(p, step + 1, sink)) return false;
                return true;
            }
            case ByteLevelStep bl -> {
                String q = bl.addPrefixSpace() && !piece.startsWith(" ") ? " " + piece : piece;
                if (bl.regex() == null) return emit(ByteLevel.encode(q), step + 1, sink);
                return isolated(q, bl.regex(), p -> emit(ByteLevel.encode(p), step + 1, sink));
            }
        }
    }

    /** {@link #splitOn}'s ISOLATED case, streamed: every non-empty match and gap, in order. */
    private static boolean isolated(String text, SplitPattern pattern, java.util.function.Predicate<String> sink) {
        Matcher m = pattern.matcher(text);
        int last = 0;
        while (pattern.find(m)) {
            if (m.start() == m.end()) continue;
            if (m.start() > last && !sink.test(text.substring(last, m.start()))) return false;
            if (!sink.test(text.substring(m.start(), m.end()))) return false;
            last = m.end();
        }
        return last >= text.length() || sink.test(text.substring(last));
    }

    /** Appends the pieces of {@code segment} to {@code out}, in order; never appends an empty piece. */
    void split(String segment, List<String> out) {
        if (segment.isEmpty()) return;
        List<String> pieces = new ArrayList<>(1);
        pieces.add(segment);
        for (Step step : steps) {
            List<String> next = new ArrayList<>(pieces.size() * 2);
            for (String p : pieces) {
                switch (step) {
                    case Split s -> splitOn(p, s.pattern(), s.behavior(), s.invert(), next);
                    case ByteLevelStep bl -> {
                        // the prefix is added to every piece the earlier steps produced, as HF does
                        String q = bl.addPrefixSpace() && !p.startsWith(" ") ? " " + p : p;
                        if (bl.regex() == null) {
                            next.add(ByteLevel.encode(q));
                        } else {
                            List<String> parts = new ArrayList<>();
                            splitOn(q, bl.regex(), Behavior.ISOLATED, false, parts);
                            for (String part : parts) next.add(ByteLevel.encode(part));
                        }
                    }
                }
            }
            pieces = next;
        }
        out.addAll(pieces);
    }

    static void splitOn(String text, SplitPattern pattern, Behavior behavior, boolean invert, List<String> out) {
        if (behavior == Behavior.ISOLATED) { // the hot path: every match and every gap is a piece
            Matcher m = pattern.matcher(text);
            int last = 0;
            while (pattern.find(m)) {
                if (m.start() == m.end()) continue;
                if (m.start() > last) out.add(text.substring(last, m.start()));
                out.add(text.substring(m.start(), m.end()));
                last = m.end();
            }
            if (last < text.length()) out.add(text.substring(last));
            return;
        }
        // (start, end, isDelimiter) segments covering the text
        List<int[]> segs = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        int last = 0;
        while (pattern.find(m)) {
            if (m.start() == m.end()) continue;
            if (m.start() > last) segs.add(new int[] {last, m.start(), invert ? 1 : 0});
            segs.add(new int[] {m.start(), m.end(), invert ? 0 : 1});
            last = m.end();
        }
        if (last < text.length()) segs.add(new int[] {last, text.length(), invert ? 1 : 0});

        // the folds below follow HF's SplitDelimiterBehavior exactly, including its quirk that a
        // delimiter next to another delimiter is never merged
        List<int[]> merged = new ArrayList<>(segs.size());
        switch (behavior) {
            case ISOLATED -> merged = segs;
            case REMOVED -> { for (int[] sg : segs) if (sg[2] == 0) merged.add(sg); }
            case MERGED_WITH_PREVIOUS -> {
                boolean previousMatch = false;
                for (int[] sg : segs) {
                    boolean match = sg[2] == 1;
                    if (match && !previousMatch && !merged.isEmpty()) merged.getLast()[1] = sg[1];
                    else merged.add(sg.clone());
                    previousMatch = match;
                }
            }
            case MERGED_WITH_NEXT -> {
                boolean previousMatch = false;
                for (int k = segs.size() - 1; k >= 0; k--) {
                    int[] sg = segs.get(k);
                    boolean match = sg[2] == 1;
                    if (match && !previousMatch && !merged.isEmpty()) merged.getLast()[0] = sg[0];
                    else merged.add(sg.clone());
                    previousMatch = match;
                }
                java.util.Collections.reverse(merged);
            }
            case CONTIGUOUS -> {
                boolean previousMatch = false;
                for (int[] sg : segs) {
                    boolean match = sg[2] == 1;
                    if (match == previousMatch && !merged.isEmpty()) merged.getLast()[1] = sg[1];
                    else merged.add(sg.clone());
                    previousMatch = match;
                }
            }
        }
        for (int[] sg : merged) if (sg[1] > sg[0]) out.add(text.substring(sg[0], sg[1]));
    }
}
