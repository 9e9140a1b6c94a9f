package dev.drllm.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The BPE model of tokenizer.json: vocab, merges by rank, and the merge loop of HF tokenizers
 * (lowest rank first, leftmost first among equal ranks; a queued merge whose pair has since changed
 * is dropped). Merged pieces are cached per pre-token, as HF does, because natural text repeats its
 * words: the cache turns most pre-tokens into one hash lookup.
 */
final class Bpe {
    /**
     * Words cached before the cache is emptied and refilled. HF keeps 10,000 and then stops
     * caching; multilingual text has far more distinct words than that, and a refill adapts to
     * text whose vocabulary drifts, so drllm keeps more and starts over when full.
     */
    private static final int CACHE_CAPACITY = 100_000;
    /** Longer pre-tokens are rare and would only pollute the cache. */
    private static final int CACHE_MAX_CHARS = 256;

    /** Ids index arrays; a hostile file must not make us allocate gigabytes. */
    static final int MAX_ID = 1 << 24;

    private final Map<String, Integer> vocab;
    private final String[] idToToken;
    /** Vocab id of each single-char token below U+0200 (the byte-level alphabet), -1 if absent. */
    private final int[] charId = new int[0x200];
    private final MergeTable merges;
    private final boolean ignoreMerges;
    private final int unkId;
    private final boolean fuseUnk;
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    private Bpe(Map<String, Integer> vocab, String[] idToToken, MergeTable merges, boolean ignoreMerges, int unkId, boolean fuseUnk) {
        this.vocab = vocab;
        this.idToToken = idToToken;
        this.merges = merges;
        this.ignoreMerges = ignoreMerges;
        this.unkId = unkId;
        this.fuseUnk = fuseUnk;
        java.util.Arrays.fill(charId, -1);
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            String t = e.getKey();
            if (t.length() == 1 && t.charAt(0) < charId.length) charId[t.charAt(0)] = e.getValue();
        }
    }

    static Bpe parse(JsonNode model, Path file) {
        String where = "model";
        if (model == null || model.isNull()) throw new TokenizerException(file, where, "missing");
        String type = model.has("type") ? TokenizerJson.type(model, where, file) : "BPE";
        if (!type.equals("BPE")) throw new TokenizerException(file, where + ".type", "unsupported model type '" + type + "' (only BPE)");
        for (String f : new String[] {"continuing_subword_prefix", "end_of_word_suffix"}) {
            JsonNode v = model.get(f);
            if (v != null && !v.isNull() && !v.asText().isEmpty())
                throw new TokenizerException(file, where + "." + f, "unsupported (only empty or null): '" + v.asText() + "'");
        }
        JsonNode dropout = model.get("dropout");
        if (dropout != null && !dropout.isNull() && dropout.asDouble() != 0)
            throw new TokenizerException(file, where + ".dropout", "BPE dropout is a training-time option; unsupported");
        if (TokenizerJson.bool(model, "byte_fallback", false, where, file))
            throw new TokenizerException(file, where + ".byte_fallback", "byte_fallback (SentencePiece-style BPE) is unsupported");

        JsonNode v = model.get("vocab");
        if (v == null || !v.isObject() || v.isEmpty()) throw new TokenizerException(file, where + ".vocab", "missing or empty");
        Map<String, Integer> vocab = new HashMap<>(v.size() * 2);
        int maxId = -1;
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode id = e.getValue();
            if (!id.canConvertToInt() || !id.isIntegralNumber() || id.asInt() < 0)
                throw new TokenizerException(file, where + ".vocab", "token '" + e.getKey() + "' has id " + id + ", expected an integer >= 0");
            if (id.asInt() >= MAX_ID)
                throw new TokenizerException(file, where + ".vocab", "token '" + e.getKey() + "' has id " + id + ", beyond any real vocabulary (< " + MAX_ID + ")");
            vocab.put(e.getKey(), id.asInt());
            maxId = Math.max(maxId, id.asInt());
        }
        String[] idToToken = new String[maxId + 1];
        for (Map.Entry<String, Integer> e : vocab.entrySet()) idToToken[e.getValue()] = e.getKey();

        JsonNode m = model.get("merges");
        if (m == null || m.isNull()) m = Json0.EMPTY;
        if (!m.isArray()) throw new TokenizerException(file, where + ".merges", "expected an array");
        MergeTable merges = new MergeTable(m.size());
        for (int i = 0; i < m.size(); i++) {
            JsonNode e = m.get(i);
            String a, b;
            if (e.isTextual()) {
                // the older format "a b"; byte-level tokens never contain a plain space
                String s = e.asText();
                int sp = s.indexOf(' ');
                if (sp < 0 || s.indexOf(' ', sp + 1) >= 0)
                    throw new TokenizerException(file, where + ".merges[" + i + "]", "expected \"left right\", found \"" + s + "\"");
                a = s.substring(0, sp);
                b = s.substring(sp + 1);
            } else if (e.isArray() && e.size() == 2 && e.get(0).isTextual() && e.get(1).isTextual()) {
                a = e.get(0).asText();
                b = e.get(1).asText();
            } else {
                throw new TokenizerException(file, where + ".merges[" + i + "]", "expected \"left right\" or [\"left\", \"right\"], found " + e);
            }
            Integer ia = vocab.get(a), ib = vocab.get(b), ic = vocab.get(a + b);
            if (ia == null || ib == null || ic == null) {
                String missing = ia == null ? a : ib == null ? b : a + b;
                throw new TokenizerException(file, where + ".merges[" + i + "]", "token '" + missing + "' is not in the vocab");
            }
            merges.put(ia, ib, i, ic); // a later duplicate overwrites an earlier one, as HF's HashMap collect does
        }

        JsonNode unk = model.get("unk_token");
        int unkId = -1;
        if (unk != null && !unk.isNull()) {
            Integer id = vocab.get(unk.asText());
            if (id == null) throw new TokenizerException(file, where + ".unk_token", "'" + unk.asText() + "' is not in the vocab");
            unkId = id;
        }
        return new Bpe(vocab, idToToken, merges, TokenizerJson.bool(model, "ignore_merges", false, where, file), unkId,
                TokenizerJson.bool(model, "fuse_unk", false, where, file));
    }

    Integer tokenToId(String token) { return vocab.get(token); }

    /** The token of a model id, or null outside the vocab. */
    String idToToken(int id) { return id >= 0 && id < idToToken.length ? idToToken[id] : null; }

    int maxId() { return idToToken.length - 1; }

    /** Appends the ids of one pre-token (already in the model's alphabet). */
    void encode(String word, IntArrayBuilder out) {
        int[] ids = cache.get(word);
        if (ids == null) {
            ids = merge(word);
            if (word.length() <= CACHE_MAX_CHARS) {
                if (cache.size() >= CACHE_CAPACITY) cache.clear();
                cache.put(word, ids);
            }
        }
        out.addAll(ids);
    }

    private int[] merge(String word) {
        if (ignoreMerges) {
            // Llama 3 sets ignore_merges: a pre-token that is itself in the vocab is one token even
            // if the merges would reach it differently (or not at all)
            Integer whole = vocab.get(word);
            if (whole != null) return new int[] {whole};
        }
        int n = word.length();
        int[] sym = new int[n];
        int count = 0;
        boolean lastUnk = false;
        for (int i = 0; i < n; ) {
            int cp = word.codePointAt(i);
            int len = Character.charCount(cp);
            int id = cp < charId.length ? charId[cp] : vocab.getOrDefault(word.substring(i, i + len), -1);
            i += len;
            if (id < 0) {
                // HF drops a symbol missing from the vocab when there is no unk token
                if (unkId < 0) continue;
                if (fuseUnk && lastUnk) continue;
                id = unkId;
                lastUnk = true;
            } else {
                lastUnk = false;
            }
            sym[count++] = id;
        }
        if (count <= 1) return java.util.Arrays.copyOf(sym, count);

        int[] next = new int[count], prev = new int[count];
        for (int i = 0; i < count; i++) { next[i] = i + 1; prev[i] = i - 1; }
        next[count - 1] = -1;
        LongHeap heap = new LongHeap(count);
        for (int i = 0; i + 1 < count; i++) {
            long r = merges.get(sym[i], sym[i + 1]);
            if (r >= 0) heap.push(MergeTable.rank(r), i);
        }
        boolean[] dead = new boolean[count];
        while (!heap.isEmpty()) {
            long top = heap.pop();
            int rank = (int) (top >>> 32), pos = (int) top;
            if (dead[pos] || next[pos] < 0) continue;
            int right = next[pos];
            long r = merges.get(sym[pos], sym[right]);
            if (r < 0 || MergeTable.rank(r) != rank) continue; // stale: the pair changed since it was queued
            sym[pos] = MergeTable.result(r);
            dead[right] = true;
            next[pos] = next[right];
            if (next[pos] >= 0) prev[next[pos]] = pos;
            if (prev[pos] >= 0) {
                long pr = merges.get(sym[prev[pos]], sym[pos]);
                if (pr >= 0) heap.push(MergeTable.rank(pr), prev[pos]);
            }
            if (next[pos] >= 0) {
                long nr = merges.get(sym[pos], sym[next[pos]]);
                if (nr >= 0) heap.push(MergeTable.rank(nr), pos);
            }
        }
        IntArrayBuilder out = new IntArrayBuilder(count);
        for (int i = 0; i >= 0; i = next[i]) out.add(sym[i]);
        return out.toArray();
    }

    /**
     * Open-addressing map (left id, right id) → (rank, merged id). Key and value sit side by side in
     * one long array so a probe touches one cache line: the table is megabytes and merging is
     * dominated by these lookups.
     */
    static final class MergeTable {
        private final long[] slots; // [2s] = key, [2s + 1] = packed value
        private final int mask;

        MergeTable(int expected) {
            int cap = Integer.highestOneBit(Math.max(4, expected * 2 + 1)) << 1;
            slots = new long[2 * cap];
            mask = cap - 1;
            for (int i = 0; i < slots.length; i += 2) slots[i] = -1L;
        }

        private static int slot(long key, int mask) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h >>> 40) & mask;
        }

        void put(int a, int b, int rank, int result) {
            long key = ((long) a << 32) | (b & 0xFFFFFFFFL);
            int s = slot(key, mask);
            while (slots[2 * s] != -1L && slots[2 * s] != key) s = (s + 1) & mask;
            slots[2 * s] = key;
            slots[2 * s + 1] = ((long) rank << 32) | (result & 0xFFFFFFFFL);
        }

        /** Packed (rank, result), or -1 when the pair does not merge. */
        long get(int a, int b) {
            long key = ((long) a << 32) | (b & 0xFFFFFFFFL);
            int s = slot(key, mask);
            while (true) {
                long k = slots[2 * s];
                if (k == key) return slots[2 * s + 1];
                if (k == -1L) return -1L;
                s = (s + 1) & mask;
            }
        }

        static int rank(long packed) { return (int) (packed >>> 32); }

        static int result(long packed) { return (int) packed; }
    }

    /** Min-heap of (rank, position) packed as rank << 32 | position: lowest rank, then leftmost. */
    static final class LongHeap {
        private long[] a;
        private int size;

        LongHeap(int capacity) { a = new long[Math.max(4, capacity)]; }

        boolean isEmpty() { return size == 0; }

        void push(int rank, int pos) {
            if (size == a.length) a = java.util.Arrays.copyOf(a, size * 2);
            long v = ((long) rank << 32) | pos;
            int i = size++;
            while (i > 0) {
                int p = (i - 1) >>> 1;
                if (a[p] <= v) break;
                a[i] = a[p];
                i = p;
            }
            a[i] = v;
        }

        long pop() {
            long top = a[0];
            long v = a[--size];
            int i = 0;
            while (true) {
                int c = 2 * i + 1;
                if (c >= size) break;
                if (c + 1 < size && a[c + 1] < a[c]) c++;
                if (a[c] >= v) break;
                a[i] = a[c];
                i = c;
            }
            a[i] = v;
            return top;
        }
    }

    private static final class Json0 {
        static final JsonNode EMPTY = dev.drllm.util.Json.MAPPER.createArrayNode();
    }
}
