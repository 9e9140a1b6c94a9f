package dev.drllm.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.Fixtures;
import dev.drllm.util.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The 70 chat templates llama.cpp keeps for its own tests (src/test/resources/chat-templates/llamacpp,
 * real models' templates), each rendered on every conversation of conversations.json and compared
 * byte for byte with what Jinja2 renders in transformers' setup (expected/, written by
 * render_expected.py). Where Jinja2 raises, drllm must raise a TokenizerException, not render.
 */
class ChatTemplateCorpusTest {
    static Path corpus() {
        return Fixtures.projectDir().resolve("src/test/resources/chat-templates");
    }

    @Test
    void everyTemplateRendersAsJinja2() throws IOException {
        JsonNode spec = Json.MAPPER.readTree(corpus().resolve("conversations.json").toFile());
        Clock clock = Clock.fixed(LocalDateTime.parse(spec.get("now").asText()).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        JsonNode sp = spec.get("special_tokens");
        List<Path> templates;
        try (var files = Files.list(corpus().resolve("llamacpp"))) {
            templates = files.filter(p -> p.toString().endsWith(".jinja")).sorted().toList();
        }
        assertEquals(70, templates.size(), "the vendored corpus");
        List<String> problems = new ArrayList<>();
        int same = 0, bothFail = 0;
        for (Path file : templates) {
            String name = file.getFileName().toString().replace(".jinja", "");
            JsonNode expected = Json.MAPPER.readTree(corpus().resolve("expected").resolve(name + ".json").toFile());
            ChatTemplate t = ChatTemplate.ofText(file, Files.readString(file)).withClock(clock);
            SpecialTokens specials = new SpecialTokens(file, sp.get("bos_token").asText(), sp.get("eos_token").asText(),
                    sp.get("unk_token").asText(), sp.get("pad_token").asText());
            for (Iterator<Map.Entry<String, JsonNode>> it = spec.get("conversations").fields(); it.hasNext(); ) {
                var conv = it.next();
                JsonNode c = conv.getValue();
                JsonNode want = expected.get(conv.getKey());
                String where = name + " / " + conv.getKey();
                String got;
                try {
                    got = t.render(messages(c.get("messages")), c.get("add_generation_prompt").asBoolean(), vars(c), specials);
                } catch (TokenizerException e) {
                    if (want.has("error")) {
                        bothFail++;
                    } else {
                        problems.add(where + ": drllm raised " + e.getMessage() + "\n  Jinja2 rendered " + excerpt(want.get("text").asText()));
                    }
                    continue;
                }
                if (want.has("error")) {
                    problems.add(where + ": Jinja2 raised " + want.get("error").asText() + "\n  drllm rendered " + excerpt(got));
                } else if (!want.get("text").asText().equals(got)) {
                    problems.add(where + ": " + firstDifference(want.get("text").asText(), got));
                } else {
                    same++;
                }
            }
        }
        System.out.println("chat-template corpus: " + same + " identical, " + bothFail + " fail in both, " + problems.size() + " differ");
        assertTrue(problems.isEmpty(), problems.size() + " renderings differ from Jinja2:\n" + String.join("\n", problems));
    }

    /**
     * snippets.json: one Python behaviour each (str.format, slices, None, tojson options, in, loop
     * filters, whitespace control, errors), checked against Jinja2's rendering of the same snippet.
     */
    @Test
    void everySnippetBehavesAsInJinja2() throws IOException {
        JsonNode spec = Json.MAPPER.readTree(corpus().resolve("conversations.json").toFile());
        Clock clock = Clock.fixed(LocalDateTime.parse(spec.get("now").asText()).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        JsonNode sp = spec.get("special_tokens");
        JsonNode snippets = Json.MAPPER.readTree(corpus().resolve("snippets.json").toFile());
        JsonNode expected = Json.MAPPER.readTree(corpus().resolve("expected/_snippets.json").toFile());
        assertEquals(snippets.size(), expected.size());
        Path source = corpus().resolve("snippets.json");
        SpecialTokens specials = new SpecialTokens(source, sp.get("bos_token").asText(), sp.get("eos_token").asText(),
                sp.get("unk_token").asText(), sp.get("pad_token").asText());
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < snippets.size(); i++) {
            String t = snippets.get(i).get("t").asText();
            JsonNode want = expected.get(i);
            @SuppressWarnings("unchecked")
            Map<String, Object> vars = snippets.get(i).has("v") ? Json.MAPPER.convertValue(snippets.get(i).get("v"), LinkedHashMap.class) : Map.of();
            String where = "snippet " + i + " " + quote(t);
            try {
                String got = ChatTemplate.ofText(source, t).withClock(clock)
                        .render(List.of(chatMessage()), true, vars, specials);
                if (want.has("error")) problems.add(where + ": Jinja2 raised " + want.get("error").asText() + ", drllm rendered " + quote(got));
                else if (!want.get("text").asText().equals(got)) problems.add(where + ": " + firstDifference(want.get("text").asText(), got));
            } catch (TokenizerException e) {
                if (!want.has("error")) problems.add(where + ": drllm raised " + e.getMessage() + ", Jinja2 rendered " + quote(want.get("text").asText()));
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " snippets differ from Jinja2:\n" + String.join("\n", problems));
    }

    private static Map<String, Object> chatMessage() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", "user");
        m.put("content", "hi");
        return m;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> messages(JsonNode n) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (JsonNode m : n) out.add(Json.MAPPER.convertValue(m, LinkedHashMap.class));
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> vars(JsonNode c) {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("tools", c.has("tools") ? Json.MAPPER.convertValue(c.get("tools"), List.class) : null);
        if (c.has("vars")) vars.putAll(Json.MAPPER.convertValue(c.get("vars"), LinkedHashMap.class));
        return vars;
    }

    private static String excerpt(String s) {
        String e = s.length() > 200 ? s.substring(0, 200) + "…" : s;
        return quote(e);
    }

    static String firstDifference(String want, String got) {
        int i = 0;
        while (i < want.length() && i < got.length() && want.charAt(i) == got.charAt(i)) i++;
        int from = Math.max(0, i - 60);
        return "first difference at char " + i + "\n  Jinja2: " + quote(want.substring(from, Math.min(want.length(), i + 100)))
                + "\n  drllm:  " + quote(got.substring(from, Math.min(got.length(), i + 100)));
    }

    private static String quote(String s) {
        try {
            return Json.MAPPER.writeValueAsString(s);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
