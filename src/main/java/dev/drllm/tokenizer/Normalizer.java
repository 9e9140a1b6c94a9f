package dev.drllm.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.text.Normalizer.Form;
import java.util.ArrayList;
import java.util.List;

/** The {@code normalizer} of tokenizer.json: Unicode forms and lowercasing, alone or in a Sequence. */
final class Normalizer {
    private sealed interface Step permits Unicode, Lowercase {}

    private record Unicode(Form form) implements Step {}

    private record Lowercase() implements Step {}

    private final List<Step> steps;

    private Normalizer(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    static Normalizer parse(JsonNode node, Path file) {
        List<Step> steps = new ArrayList<>();
        collect(node, "normalizer", file, steps);
        return new Normalizer(steps);
    }

    private static void collect(JsonNode node, String where, Path file, List<Step> out) {
        if (node == null || node.isNull()) return;
        String type = TokenizerJson.type(node, where, file);
        switch (type) {
            case "NFC" -> out.add(new Unicode(Form.NFC));
            case "NFD" -> out.add(new Unicode(Form.NFD));
            case "NFKC" -> out.add(new Unicode(Form.NFKC));
            case "NFKD" -> out.add(new Unicode(Form.NFKD));
            case "Lowercase" -> out.add(new Lowercase());
            case "Sequence" -> {
                JsonNode list = TokenizerJson.array(node, "normalizers", where, file);
                for (int i = 0; i < list.size(); i++) collect(list.get(i), where + ".normalizers[" + i + "]", file, out);
            }
            default -> throw new TokenizerException(file, where, "unsupported normalizer type '" + type + "'");
        }
    }

    boolean isIdentity() { return steps.isEmpty(); }

    String apply(String text) {
        for (Step s : steps) {
            text = switch (s) {
                case Unicode u -> java.text.Normalizer.normalize(text, u.form());
                // Rust's str::to_lowercase is the Unicode default lowercase mapping, locale free
                case Lowercase l -> text.toLowerCase(java.util.Locale.ROOT);
            };
        }
        return text;
    }
}
