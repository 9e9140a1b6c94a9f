package dev.drllm.mcts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.eval.Prompts;
import dev.drllm.eval.Question;
import dev.drllm.eval.Task;
import dev.drllm.tokenizer.Tokenizer;
import dev.drllm.util.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prompts to ids and replies to text with the checkpoint's tokenizer. Base prompts are encoded
 * alone without special tokens (DESIGN.md §4); instruct prompts are rendered through the chat
 * template, whose text already carries any BOS, so they are encoded without adding another (the
 * reference tokenises the rendered chat with special tokens on, doubling Llama-3's BOS).
 */
public final class TokenizerCodec implements ModelWorker.Codec {
    private final Tokenizer tokenizer;
    private final Prompts.Style style;

    public TokenizerCodec(Tokenizer tokenizer, Prompts.Style style) {
        this.tokenizer = tokenizer;
        this.style = style;
    }

    public Prompts.Style style() { return style; }

    /** "base", "instruct", or "auto": instruct when the checkpoint ships a chat template. */
    public static Prompts.Style style(Path modelDir, String requested) {
        String r = requested == null ? "auto" : requested.strip().toLowerCase(Locale.ROOT);
        return switch (r) {
            case "base" -> Prompts.Style.BASE;
            case "instruct" -> Prompts.Style.INSTRUCT;
            case "auto" -> hasChatTemplate(modelDir) ? Prompts.Style.INSTRUCT : Prompts.Style.BASE;
            default -> throw new IllegalArgumentException("unknown prompt style '" + requested + "' (expected auto, base or instruct)");
        };
    }

    private static boolean hasChatTemplate(Path dir) {
        if (Files.isRegularFile(dir) && dev.drllm.gguf.GgufFile.isGguf(dir)) {
            // a GGUF file: a tokenizer beside it wins (as GgufTokenizer.forModel), else its own metadata
            Path beside = dir.toAbsolutePath().getParent();
            if (beside != null && Files.isRegularFile(beside.resolve("tokenizer.json"))) return hasChatTemplate(beside);
            try (dev.drllm.gguf.GgufFile g = dev.drllm.gguf.GgufFile.open(dir)) {
                return g.metadata().get("tokenizer.chat_template") instanceof String;
            }
        }
        if (Files.isRegularFile(dir.resolve("chat_template.jinja"))) return true;
        Path cfg = dir.resolve("tokenizer_config.json");
        if (!Files.isRegularFile(cfg)) return false;
        try {
            JsonNode root = Json.MAPPER.readTree(cfg.toFile());
            return root != null && root.hasNonNull("chat_template");
        } catch (IOException e) {
            throw new IllegalArgumentException(cfg + ": not valid JSON: " + Json.problem(e), e);
        }
    }

    @Override
    public int[] prompt(Question q) {
        if (style == Prompts.Style.BASE) return tokenizer.encode(Prompts.base(q), false);
        String text = tokenizer.renderChat(List.of(Map.of("role", "user", "content", Prompts.instruct(q))), true, Prompts.chatVars());
        return tokenizer.encode(text, false);
    }

    @Override
    public String decode(int[] ids) {
        return tokenizer.decode(ids, true);
    }

    @Override
    public boolean promptEndsInBox(Question q) {
        return style == Prompts.Style.BASE && q.task() == Task.DART;
    }
}
