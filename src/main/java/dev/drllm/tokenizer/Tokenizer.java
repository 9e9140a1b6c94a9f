package dev.drllm.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.util.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Hugging Face fast tokenizer read from {@code tokenizer.json} (byte-level BPE: Llama 3, Qwen2/2.5/3,
 * drllm-tiny) plus the special tokens and chat template of {@code tokenizer_config.json}.
 *
 * <p>Encoding follows HF tokenizers step by step: added tokens are cut out of the raw text, the rest
 * is normalized, cut on normalized added tokens, pre-tokenized, and each piece is merged by BPE;
 * the post-processor adds special tokens only when asked. Instances are immutable apart from the
 * merge cache and safe to share between threads.
 */
public final class Tokenizer {
    private final Path file;
    private final AddedVocabulary added;
    private final Normalizer normalizer;
    private final PreTokenizer preTokenizer;
    private final Bpe bpe;
    private final PostProcessor postProcessor;
    private final Decoder decoder;
    private final SpecialTokens specials;
    private final ChatTemplate chatTemplate;
    private final boolean cleanUpSpaces;

    private Tokenizer(Path file, AddedVocabulary added, Normalizer normalizer, PreTokenizer preTokenizer, Bpe bpe,
                      PostProcessor postProcessor, Decoder decoder, SpecialTokens specials, ChatTemplate chatTemplate,
                      boolean cleanUpSpaces) {
        this.file = file;
        this.added = added;
        this.normalizer = normalizer;
        this.preTokenizer = preTokenizer;
        this.bpe = bpe;
        this.postProcessor = postProcessor;
        this.decoder = decoder;
        this.specials = specials;
        this.chatTemplate = chatTemplate;
        this.cleanUpSpaces = cleanUpSpaces;
    }

    /** Loads {@code dir/tokenizer.json} and, when present, {@code dir/tokenizer_config.json}. */
    public static Tokenizer load(Path dir) {
        if (Files.isRegularFile(dir)) throw new TokenizerException(dir, null, "is a file; give the directory that holds tokenizer.json");
        Path file = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(file)) throw new TokenizerException(file, null, "not found");
        JsonNode root = readJson(file);
        Path configFile = dir.resolve("tokenizer_config.json");
        JsonNode config = Files.isRegularFile(configFile) ? readJson(configFile) : Json.MAPPER.createObjectNode();
        return fromJson(file, root, configFile, config, dir);
    }

    /**
     * A tokenizer from a {@code tokenizer.json} tree and a {@code tokenizer_config.json} tree
     * ({@code file} / {@code configFile} name them in errors; {@code dir}, when not null, may hold a
     * {@code chat_template.jinja}). {@link #load} reads both from a directory; the GGUF loader builds
     * them from a file's metadata.
     */
    public static Tokenizer fromJson(Path file, JsonNode root, Path configFile, JsonNode config, Path dir) {
        if (!root.isObject()) throw new TokenizerException(file, null, "expected a JSON object");
        JsonNode truncation = root.get("truncation");
        if (truncation != null && !truncation.isNull())
            throw new TokenizerException(file, "truncation", "truncation would silently shorten inputs; unsupported");
        // padding only applies to batches, which this single-sequence API never forms
        AddedVocabulary added = AddedVocabulary.parse(root.get("added_tokens"), file);
        Bpe bpe = Bpe.parse(root.get("model"), file);
        Normalizer normalizer = Normalizer.parse(root.get("normalizer"), file);
        PreTokenizer pre = PreTokenizer.parse(root.get("pre_tokenizer"), file);
        PostProcessor post = PostProcessor.parse(root.get("post_processor"), file);
        Decoder decoder = Decoder.parse(root.get("decoder"), file);

        if (!config.isObject()) throw new TokenizerException(configFile, null, "expected a JSON object");
        SpecialTokens specials = SpecialTokens.parse(config, configFile);
        ChatTemplate template = ChatTemplate.find(dir, config, configFile);
        JsonNode cleanUp = config.get("clean_up_tokenization_spaces");
        if (cleanUp != null && !cleanUp.isNull() && !cleanUp.isBoolean())
            throw new TokenizerException(configFile, "clean_up_tokenization_spaces", "expected true or false, found " + cleanUp);
        // transformers 5 defaults to false when unset (4.45 started the deprecation)
        boolean clean = cleanUp != null && cleanUp.asBoolean();
        return new Tokenizer(file, added, normalizer, pre, bpe, post, decoder, specials, template, clean);
    }

    private static JsonNode readJson(Path file) {
        try {
            JsonNode n = Json.MAPPER.readTree(file.toFile());
            if (n == null) throw new TokenizerException(file, null, "empty file");
            return n;
        } catch (IOException e) {
            throw new TokenizerException(file, null, "not valid JSON: " + Json.problem(e), e);
        }
    }

    /** The ids of {@code text} without special tokens added (those written in the text still match). */
    public int[] encode(String text) {
        return encode(text, false);
    }

    /** The ids of {@code text}; with {@code addSpecialTokens} the post-processor's template (e.g. BOS) is applied. */
    public int[] encode(String text, boolean addSpecialTokens) {
        return encode(text, addSpecialTokens, Integer.MAX_VALUE);
    }

    /**
     * As {@link #encode(String, boolean)}, but stops once the text has produced more than
     * {@code maxTokens} ids (not counting those the post-processor adds): the result then holds
     * more than {@code maxTokens} ids (the first ones of the text) and says the text is too long
     * for the limit without the rest being encoded. Pre-tokenized pieces are cut lazily, so a huge
     * text costs time and memory for about {@code maxTokens} ids, plus linear passes over its
     * characters (sanitizing, added tokens, the normalizer).
     *
     * <p>Throws a {@link TokenizerException} naming the file and the pre-tokenizer step when the
     * step's regex exceeds its work budget on the text (256 character reads per character; a
     * pattern that backtracks catastrophically) or overflows the stack (see {@code SplitPattern}).
     */
    public int[] encode(String text, boolean addSpecialTokens, int maxTokens) {
        text = ByteLevel.sanitize(text);
        IntArrayBuilder ids = new IntArrayBuilder((int) Math.min(text.length() / 3 + 4, Math.max(0L, maxTokens) + 4));
        java.util.function.Predicate<String> bpeUntilFull = p -> {
            bpe.encode(p, ids);
            return ids.size() <= maxTokens;
        };
        List<AddedVocabulary.Segment> rawSegs = new ArrayList<>();
        added.splitRaw(text, rawSegs);
        List<AddedVocabulary.Segment> segs = new ArrayList<>();
        encoding:
        for (AddedVocabulary.Segment raw : rawSegs) {
            if (raw.isToken()) {
                ids.add(raw.id());
                if (ids.size() > maxTokens) break;
                continue;
            }
            segs.clear();
            added.splitNormalized(normalizer.apply(raw.text()), segs);
            for (AddedVocabulary.Segment s : segs) {
                if (s.isToken()) ids.add(s.id());
                else preTokenizer.forEachPiece(s.text(), bpeUntilFull);
                if (ids.size() > maxTokens) break encoding;
            }
        }
        int[] out = ids.toArray();
        return addSpecialTokens ? postProcessor.apply(out) : out;
    }

    /**
     * The text of {@code ids}, as transformers' {@code tokenizer.decode} gives it. Ids outside the
     * vocabulary are dropped and byte sequences that are not valid UTF-8 become U+FFFD, both as HF
     * tokenizers does; when tokenizer_config.json sets {@code clean_up_tokenization_spaces} (Llama 3
     * does) the spaces transformers removes before punctuation and contractions are removed too.
     */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        String text = decodeTokens(ids, skipSpecialTokens);
        return cleanUpSpaces ? cleanUpTokenization(text) : text;
    }

    /** Whether {@link #decode} applies transformers' {@code clean_up_tokenization}. */
    public boolean cleansUpTokenizationSpaces() { return cleanUpSpaces; }

    /** transformers' {@code clean_up_tokenization}, the same fixed replacements in the same order. */
    static String cleanUpTokenization(String s) {
        return s.replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",").replace(" ' ", "'")
                .replace(" n't", "n't").replace(" 'm", "'m").replace(" 's", "'s").replace(" 've", "'ve").replace(" 're", "'re");
    }

    private String decodeTokens(int[] ids, boolean skipSpecialTokens) {
        List<String> tokens = new ArrayList<>(ids.length);
        for (int id : ids) {
            AddedVocabulary.AddedToken t = added.byId(id);
            if (t != null) {
                if (!(skipSpecialTokens && t.special())) tokens.add(t.content());
                continue;
            }
            String tok = bpe.idToToken(id);
            if (tok != null) tokens.add(tok);
        }
        return decoder.decode(tokens);
    }

    /** The id of a token (added tokens first, then the model vocab), or null. */
    public Integer tokenId(String token) {
        AddedVocabulary.AddedToken t = added.byContent(token);
        return t != null ? Integer.valueOf(t.id()) : bpe.tokenToId(token);
    }

    /** The token string of an id, or null outside the vocabulary. */
    public String token(int id) {
        AddedVocabulary.AddedToken t = added.byId(id);
        return t != null ? t.content() : bpe.idToToken(id);
    }

    /** Whether {@code id} is an added token marked special (what {@code skipSpecialTokens} drops). */
    public boolean isSpecial(int id) {
        AddedVocabulary.AddedToken t = added.byId(id);
        return t != null && t.special();
    }

    /** One more than the largest id the tokenizer can produce. */
    public int vocabSize() {
        int max = bpe.maxId();
        for (AddedVocabulary.AddedToken t : added.tokens()) max = Math.max(max, t.id());
        return max + 1;
    }

    /** The id of {@code eos_token} from tokenizer_config.json (empty when it names none). */
    public Set<Integer> stopTokenIds() {
        Set<Integer> out = new LinkedHashSet<>();
        String eos = specials.eos();
        if (eos != null) {
            Integer id = tokenId(eos);
            if (id == null) throw new TokenizerException(specials.file(), "eos_token", "'" + eos + "' is not a token of " + file);
            out.add(id);
        }
        return Set.copyOf(out);
    }

    /** bos/eos/unk/pad token strings from tokenizer_config.json (null where absent). */
    public SpecialTokens specialTokens() { return specials; }

    /** Whether tokenizer_config.json (or chat_template.jinja) provides a chat template. */
    public boolean hasChatTemplate() { return chatTemplate != null; }

    /**
     * Renders the chat template as transformers' {@code apply_chat_template(messages,
     * add_generation_prompt=…, tokenize=False, **vars)} does.
     */
    public String renderChat(List<Map<String, Object>> messages, boolean addGenerationPrompt, Map<String, Object> vars) {
        if (chatTemplate == null) {
            throw new TokenizerException(specials.file(), "chat_template", Files.isRegularFile(specials.file())
                    ? "this tokenizer has no chat template" : "no chat template: the file (or a chat_template.jinja beside it) is missing");
        }
        return chatTemplate.render(messages, addGenerationPrompt, vars == null ? Map.of() : vars, specials);
    }
}
