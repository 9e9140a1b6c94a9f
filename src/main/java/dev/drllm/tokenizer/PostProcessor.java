package dev.drllm.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code post_processor} of tokenizer.json, for single sequences: {@code TemplateProcessing}
 * (how Llama 3 puts {@code <|begin_of_text|>} in front), {@code ByteLevel} (which only trims
 * offsets, so leaves ids alone) and {@code Sequence}. Runs only when special tokens are requested.
 */
final class PostProcessor {
    /** One item of a template: a special token's ids, or the sequence itself ({@code ids == null}). */
    private record Piece(int[] ids) {}

    private final List<Piece> single;

    private PostProcessor(List<Piece> single) {
        this.single = single;
    }

    static PostProcessor parse(JsonNode node, Path file) {
        List<List<Piece>> templates = new ArrayList<>();
        collect(node, "post_processor", file, templates);
        if (templates.size() > 1)
            throw new TokenizerException(file, "post_processor", "more than one TemplateProcessing in a Sequence is unsupported");
        return new PostProcessor(templates.isEmpty() ? null : templates.getFirst());
    }

    private static void collect(JsonNode node, String where, Path file, List<List<Piece>> out) {
        if (node == null || node.isNull()) return;
        String type = TokenizerJson.type(node, where, file);
        switch (type) {
            case "ByteLevel" -> { } // offsets only
            case "Sequence" -> {
                JsonNode list = TokenizerJson.array(node, "processors", where, file);
                for (int i = 0; i < list.size(); i++) collect(list.get(i), where + ".processors[" + i + "]", file, out);
            }
            case "TemplateProcessing" -> out.add(template(node, where, file));
            default -> throw new TokenizerException(file, where, "unsupported post-processor type '" + type + "'");
        }
    }

    private static List<Piece> template(JsonNode node, String where, Path file) {
        JsonNode single = TokenizerJson.array(node, "single", where, file);
        JsonNode specials = node.get("special_tokens");
        List<Piece> pieces = new ArrayList<>();
        int sequences = 0;
        for (int i = 0; i < single.size(); i++) {
            String at = where + ".single[" + i + "]";
            JsonNode item = single.get(i);
            if (item.has("Sequence")) {
                String id = item.get("Sequence").path("id").asText();
                if (!id.equals("A")) throw new TokenizerException(file, at, "a single-sequence template can only use sequence A, found '" + id + "'");
                pieces.add(new Piece(null));
                sequences++;
            } else if (item.has("SpecialToken")) {
                String name = item.get("SpecialToken").path("id").asText();
                JsonNode spec = specials == null ? null : specials.get(name);
                if (spec == null) throw new TokenizerException(file, at, "special token '" + name + "' is not in special_tokens");
                JsonNode ids = spec.get("ids");
                if (ids == null || !ids.isArray()) throw new TokenizerException(file, where + ".special_tokens." + name + ".ids", "missing or not an array");
                int[] v = new int[ids.size()];
                for (int k = 0; k < v.length; k++) {
                    if (!ids.get(k).canConvertToInt()) throw new TokenizerException(file, where + ".special_tokens." + name + ".ids", "not an integer: " + ids.get(k));
                    v[k] = ids.get(k).asInt();
                }
                pieces.add(new Piece(v));
            } else {
                throw new TokenizerException(file, at, "expected {\"Sequence\": …} or {\"SpecialToken\": …}");
            }
        }
        if (sequences != 1) throw new TokenizerException(file, where + ".single", "must contain sequence A exactly once");
        return pieces;
    }

    int[] apply(int[] ids) {
        if (single == null) return ids;
        IntArrayBuilder out = new IntArrayBuilder(ids.length + 4);
        for (Piece p : single) out.addAll(p.ids() == null ? ids : p.ids());
        return out.toArray();
    }
}
