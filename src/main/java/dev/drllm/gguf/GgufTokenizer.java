package dev.drllm.gguf;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.tokenizer.Tokenizer;
import dev.drllm.tokenizer.TokenizerException;
import dev.drllm.util.Json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The tokenizer of a GGUF file, from its {@code tokenizer.ggml.*} metadata: byte-level BPE
 * ({@code tokenizer.ggml.model = gpt2}) with the tokens, merges, token types, bos / eos, the
 * pre-tokenizer llama.cpp names ({@code llama-bpe}, {@code qwen2}, {@code default}/{@code gpt2})
 * and the chat template. It is expressed as the {@code tokenizer.json} Hugging Face would ship
 * for that model and read by the same code, so it encodes as the HF tokenizer does.
 *
 * <p>Token types (llama.cpp): 1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte.
 * Control tokens become special added tokens, user-defined ones non-special added tokens (both
 * are matched in the raw text, as HF and llama.cpp do), the rest the BPE vocabulary.
 */
public final class GgufTokenizer {
    /** Llama 3's split regex (llama.cpp {@code llama-bpe}). */
    static final String LLAMA3_REGEX =
            "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    /** Qwen2's split regex (llama.cpp {@code qwen2}): single digits. */
    static final String QWEN2_REGEX =
            "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    static final int NORMAL = 1, UNKNOWN = 2, CONTROL = 3, USER_DEFINED = 4, UNUSED = 5, BYTE = 6;

    private GgufTokenizer() {}

    /**
     * The tokenizer for a model path: a checkpoint directory's {@code tokenizer.json}, or for a GGUF
     * file a {@code tokenizer.json} beside it when there is one (it overrides), else the file's metadata.
     */
    public static Tokenizer forModel(Path model) {
        if (Files.isRegularFile(model) && GgufFile.isGguf(model)) {
            Path dir = model.toAbsolutePath().getParent();
            if (dir != null && Files.isRegularFile(dir.resolve("tokenizer.json"))) return Tokenizer.load(dir);
            try (GgufFile g = GgufFile.open(model)) {
                return load(g);
            }
        }
        return Tokenizer.load(model);
    }

    /** Whether {@link #forModel} finds a tokenizer for this model path. */
    public static boolean available(Path model) {
        if (Files.isRegularFile(model) && GgufFile.isGguf(model)) {
            Path dir = model.toAbsolutePath().getParent();
            if (dir != null && Files.isRegularFile(dir.resolve("tokenizer.json"))) return true;
            try (GgufFile g = GgufFile.open(model)) {
                return g.metadata().containsKey("tokenizer.ggml.tokens");
            }
        }
        return Files.isRegularFile(model.resolve("tokenizer.json"));
    }

    public static Tokenizer load(GgufFile g) {
        Path p = g.path();
        String model = g.string("tokenizer.ggml.model", null);
        if (model == null) throw new TokenizerException(p, "tokenizer.ggml.model", "the file has no tokenizer; give token ids or put a tokenizer.json beside it");
        if (!model.equals("gpt2")) {
            throw new TokenizerException(p, "tokenizer.ggml.model", "tokenizer model '" + model + "' is not supported (byte-level BPE, 'gpt2', is); "
                    + "put the model's tokenizer.json beside the file");
        }
        List<String> tokens = g.strings("tokenizer.ggml.tokens");
        if (tokens == null || tokens.isEmpty()) throw new TokenizerException(p, "tokenizer.ggml.tokens", "missing or empty");
        List<String> merges = g.strings("tokenizer.ggml.merges");
        long[] types = g.integers("tokenizer.ggml.token_type");
        if (types != null && types.length != tokens.size()) {
            throw new TokenizerException(p, "tokenizer.ggml.token_type", types.length + " types for " + tokens.size() + " tokens");
        }
        String pre = g.string("tokenizer.ggml.pre", "default");

        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode bpe = root.putObject("model");
        bpe.put("type", "BPE");
        bpe.put("byte_fallback", false);
        bpe.put("fuse_unk", false);
        bpe.put("ignore_merges", pre.equals("llama-bpe") || pre.equals("llama3"));
        ObjectNode vocab = bpe.putObject("vocab");
        ArrayNode added = root.putArray("added_tokens");
        for (int id = 0; id < tokens.size(); id++) {
            int type = types == null ? NORMAL : (int) types[id];
            String tok = tokens.get(id);
            if (type == CONTROL || type == USER_DEFINED) {
                ObjectNode a = added.addObject();
                a.put("id", id);
                a.put("content", tok);
                a.put("single_word", false);
                a.put("lstrip", false);
                a.put("rstrip", false);
                a.put("normalized", false);
                a.put("special", type == CONTROL);
            } else if (!vocab.has(tok)) {
                vocab.put(tok, id);
            }
        }
        ArrayNode m = bpe.putArray("merges");
        if (merges != null) {
            // llama.cpp skips merges that cannot yield a token of the vocabulary (HF would refuse the file): so do we
            for (String merge : merges) {
                int sp = merge.indexOf(' ', 1);
                if (sp < 0) throw new TokenizerException(p, "tokenizer.ggml.merges", "merge '" + merge + "' is not two tokens separated by a space");
                String a = merge.substring(0, sp), b = merge.substring(sp + 1);
                if (vocab.has(a) && vocab.has(b) && vocab.has(a + b)) m.add(merge);
            }
        }
        boolean nfc = false;
        ObjectNode preTok = Json.MAPPER.createObjectNode();
        switch (pre) {
            case "llama-bpe", "llama3" -> splitThenBytes(preTok, LLAMA3_REGEX);
            case "qwen2" -> {
                splitThenBytes(preTok, QWEN2_REGEX);
                nfc = true; // Qwen2's tokenizer.json normalizes to NFC
            }
            case "default", "gpt2" -> {
                preTok.put("type", "ByteLevel");
                preTok.put("add_prefix_space", false);
                preTok.put("use_regex", true);
            }
            default -> throw new TokenizerException(p, "tokenizer.ggml.pre", "pre-tokenizer '" + pre
                    + "' is not supported (llama-bpe, qwen2, default); put the model's tokenizer.json beside the file");
        }
        root.set("pre_tokenizer", preTok);
        if (nfc) root.putObject("normalizer").put("type", "NFC");
        else root.putNull("normalizer");
        ObjectNode dec = root.putObject("decoder");
        dec.put("type", "ByteLevel");
        dec.put("add_prefix_space", false);
        dec.put("use_regex", false);

        ObjectNode config = Json.MAPPER.createObjectNode();
        Long bos = g.integer("tokenizer.ggml.bos_token_id", null), eos = g.integer("tokenizer.ggml.eos_token_id", null);
        String bosTok = token(tokens, bos), eosTok = token(tokens, eos);
        if (bosTok != null) config.put("bos_token", bosTok);
        if (eosTok != null) config.put("eos_token", eosTok);
        Long pad = g.integer("tokenizer.ggml.padding_token_id", null);
        if (token(tokens, pad) != null) config.put("pad_token", token(tokens, pad));
        boolean addBos = g.bool("tokenizer.ggml.add_bos_token", false) && bosTok != null;
        if (addBos) {
            ObjectNode post = root.putObject("post_processor");
            post.put("type", "TemplateProcessing");
            ArrayNode single = post.putArray("single");
            single.addObject().putObject("SpecialToken").put("id", bosTok).put("type_id", 0);
            single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
            ArrayNode pair = post.putArray("pair");
            pair.addObject().putObject("SpecialToken").put("id", bosTok).put("type_id", 0);
            pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
            pair.addObject().putObject("SpecialToken").put("id", bosTok).put("type_id", 1);
            pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
            ObjectNode sp = post.putObject("special_tokens").putObject(bosTok);
            sp.put("id", bosTok);
            sp.putArray("ids").add(bos);
            sp.putArray("tokens").add(bosTok);
        } else {
            root.putNull("post_processor");
        }
        String template = g.string("tokenizer.chat_template", null);
        if (template != null) config.put("chat_template", template);
        // Llama 3's tokenizer_config.json asks transformers to clean up spaces when decoding
        config.put("clean_up_tokenization_spaces", pre.equals("llama-bpe") || pre.equals("llama3"));
        return Tokenizer.fromJson(p, root, p, config, null);
    }

    private static void splitThenBytes(ObjectNode pre, String regex) {
        pre.put("type", "Sequence");
        ArrayNode list = pre.putArray("pretokenizers");
        ObjectNode split = list.addObject();
        split.put("type", "Split");
        split.putObject("pattern").put("Regex", regex);
        split.put("behavior", "Isolated");
        split.put("invert", false);
        ObjectNode bl = list.addObject();
        bl.put("type", "ByteLevel");
        bl.put("add_prefix_space", false);
        bl.put("trim_offsets", false);
        bl.put("use_regex", false);
    }

    private static String token(List<String> tokens, Long id) {
        return id != null && id >= 0 && id < tokens.size() ? tokens.get(id.intValue()) : null;
    }
}
