package dev.drllm.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code added_tokens} of tokenizer.json. They are found in the text before the pre-tokenizer
 * runs (so "<|im_start|>" is one token, never split by the regex): first the tokens with
 * {@code normalized: false} on the raw text, then the others on the normalized text, each pass
 * leftmost-longest as HF's Aho-Corasick matcher, honouring {@code lstrip}, {@code rstrip} and
 * {@code single_word}.
 */
final class AddedVocabulary {
    record AddedToken(int id, String content, boolean singleWord, boolean lstrip, boolean rstrip, boolean normalized, boolean special) {}

    /** A piece of the input: either an added token's id ({@code id >= 0}) or text still to tokenise. */
    record Segment(String text, int id) {
        boolean isToken() { return id >= 0; }
    }

    private final List<AddedToken> tokens;
    private final Map<String, AddedToken> byContent = new HashMap<>();
    private final Map<Integer, AddedToken> byId = new HashMap<>();
    private final Trie raw;
    private final Trie normalized;

    private AddedVocabulary(List<AddedToken> tokens) {
        this.tokens = List.copyOf(tokens);
        Trie r = new Trie(), n = new Trie();
        for (AddedToken t : tokens) {
            byContent.put(t.content(), t);
            byId.put(t.id(), t);
            if (t.content().isEmpty()) continue;
            (t.normalized() ? n : r).add(t);
        }
        raw = r.isEmpty() ? null : r;
        normalized = n.isEmpty() ? null : n;
    }

    static AddedVocabulary parse(JsonNode node, Path file) {
        List<AddedToken> list = new ArrayList<>();
        if (node != null && !node.isNull()) {
            if (!node.isArray()) throw new TokenizerException(file, "added_tokens", "expected an array");
            for (int i = 0; i < node.size(); i++) {
                String where = "added_tokens[" + i + "]";
                JsonNode t = node.get(i);
                if (!t.isObject()) throw new TokenizerException(file, where, "expected an object");
                JsonNode id = t.get("id");
                if (id == null || !id.isIntegralNumber() || !id.canConvertToInt() || id.asInt() < 0 || id.asInt() >= Bpe.MAX_ID)
                    throw new TokenizerException(file, where + ".id", "missing or not an integer in [0, " + Bpe.MAX_ID + ")");
                boolean special = TokenizerJson.bool(t, "special", false, where, file);
                list.add(new AddedToken(id.asInt(), TokenizerJson.text(t, "content", where, file),
                        TokenizerJson.bool(t, "single_word", false, where, file),
                        TokenizerJson.bool(t, "lstrip", false, where, file),
                        TokenizerJson.bool(t, "rstrip", false, where, file),
                        // HF's default: special tokens are not normalized, others are
                        TokenizerJson.bool(t, "normalized", !special, where, file),
                        special));
            }
        }
        return new AddedVocabulary(list);
    }

    List<AddedToken> tokens() { return tokens; }

    AddedToken byContent(String content) { return byContent.get(content); }

    AddedToken byId(int id) { return byId.get(id); }

    /** Splits raw text on the non-normalized added tokens. */
    void splitRaw(String text, List<Segment> out) { split(raw, text, out); }

    /** Splits already-normalized text on the normalized added tokens. */
    void splitNormalized(String text, List<Segment> out) { split(normalized, text, out); }

    private static void split(Trie trie, String text, List<Segment> out) {
        if (trie == null) {
            if (!text.isEmpty()) out.add(new Segment(text, -1));
            return;
        }
        int n = text.length();
        int emitted = 0; // text before this index is already in out
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (!trie.startsWith(c)) { i++; continue; }
            AddedToken t = trie.longestAt(text, i);
            if (t == null) { i++; continue; }
            int start = i, end = i + t.content().length();
            if (t.singleWord() && (isWordChar(text, start - 1) || isWordChar(text, end))) {
                i = end; // HF's matcher consumed the rejected match; scanning resumes after it
                continue;
            }
            if (t.lstrip()) while (start > emitted && isWhiteSpace(text.charAt(start - 1))) start--;
            if (t.rstrip()) while (end < n && isWhiteSpace(text.charAt(end))) end++;
            if (start > emitted) out.add(new Segment(text.substring(emitted, start), -1));
            out.add(new Segment(text.substring(start, end), t.id()));
            emitted = end;
            i = end;
        }
        if (emitted < n) out.add(new Segment(text.substring(emitted), -1));
    }

    /** Unicode White_Space, which Rust's char::is_whitespace tests (Java's isWhitespace differs on NBSP and U+001C..1F). */
    static boolean isWhiteSpace(char c) {
        return (c >= '\t' && c <= '\r') || c == ' ' || c == '\u0085' || c == '\u00A0' || c == '\u1680'
                || (c >= '\u2000' && c <= '\u200A') || c == '\u2028' || c == '\u2029' || c == '\u202F'
                || c == '\u205F' || c == '\u3000';
    }

    private static boolean isWordChar(String s, int i) {
        if (i < 0 || i >= s.length()) return false;
        char c = s.charAt(i);
        return Character.isLetterOrDigit(c) || c == '_';
    }

    /** A char trie over the token contents; {@code firsts} rejects most positions in one lookup. */
    private static final class Trie {
        private final Node root = new Node();
        private final java.util.BitSet firsts = new java.util.BitSet(1 << 16);

        private static final class Node {
            Map<Character, Node> next;
            AddedToken token;
        }

        void add(AddedToken t) {
            Node n = root;
            for (char c : t.content().toCharArray()) {
                if (n.next == null) n.next = new HashMap<>();
                n = n.next.computeIfAbsent(c, k -> new Node());
            }
            n.token = t;
            firsts.set(t.content().charAt(0));
        }

        boolean isEmpty() { return root.next == null; }

        boolean startsWith(char c) { return firsts.get(c); }

        AddedToken longestAt(String s, int i) {
            Node n = root;
            AddedToken best = null;
            for (int j = i; j < s.length() && n.next != null; j++) {
                n = n.next.get(s.charAt(j));
                if (n == null) break;
                if (n.token != null) best = n.token;
            }
            return best;
        }
    }
}
