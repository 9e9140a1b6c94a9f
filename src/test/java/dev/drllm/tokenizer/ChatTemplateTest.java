package dev.drllm.tokenizer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.Fixtures;
import dev.drllm.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Jinja features and Python-isms HF chat templates use, each rendered as Jinja2 in transformers
 * renders it (expected strings worked out from Jinja2's documented semantics).
 */
class ChatTemplateTest {
    @TempDir Path tmp;

    private static final List<Map<String, Object>> CONVERSATION = List.of(
            Map.of("role", "system", "content", "Be brief."),
            Map.of("role", "user", "content", "hi"),
            Map.of("role", "assistant", "content", "<think>\nhmm\n</think>\n\nhello"),
            Map.of("role", "user", "content", "again"));

    private Tokenizer withTemplate(String template) throws IOException {
        Path dir = Files.createTempDirectory(tmp, "t");
        Files.copy(Fixtures.tinyModel().resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        ObjectNode cfg = Json.MAPPER.createObjectNode().put("bos_token", "<s>").put("eos_token", "<|endoftext|>").put("chat_template", template);
        Files.writeString(dir.resolve("tokenizer_config.json"), Json.MAPPER.writeValueAsString(cfg));
        return Tokenizer.load(dir);
    }

    private String render(String template, Map<String, Object> vars) throws IOException {
        return withTemplate(template).renderChat(CONVERSATION, true, vars);
    }

    @Test
    void pythonStringMethods() throws IOException {
        assertEquals("4|x|hi|a-b-c|ABC|a+b|yes|yes|[3]",
                render("{{ 'a,b,,c'.split(',')|length }}|{{ '  x \\n'.strip() }}|{{ 'xxhixx'.strip('x') }}|"
                        + "{{ ' a b  c '.split()|join('-') }}|{{ 'abc'.upper() }}|{{ 'a-b'.replace('-', '+') }}|"
                        + "{% if 'Hello'.startswith('He') %}yes{% endif %}|{% if 'abc'.endswith('bc') %}yes{% endif %}|"
                        + "[{{ 'a1b2c3'.split('c')[-1] }}]", Map.of()));
        // Qwen3's reasoning split
        assertEquals("hmm|hello", render("{% set c = messages[2].content %}"
                + "{{ c.split('</think>')[0].rstrip('\\n').split('<think>')[-1].lstrip('\\n') }}|{{ c.split('</think>')[-1].lstrip('\\n') }}", Map.of()));
    }

    @Test
    void namespaceReverseAndLoopControls() throws IOException {
        assertEquals("3", render("{% set ns = namespace(last=messages|length - 1, found=false) %}"
                + "{% for m in messages[::-1] %}{% if not ns.found and m.role == 'user' %}"
                + "{% set ns.found = true %}{% set ns.last = (messages|length - 1) - loop.index0 %}{% endif %}{% endfor %}{{ ns.last }}", Map.of()));
        assertEquals("[hi]", render("{% for m in messages %}{% if m.role == 'system' %}{% continue %}{% endif %}"
                + "{% if m.role == 'assistant' %}{% break %}{% endif %}[{{ m.content }}]{% endfor %}", Map.of()));
        assertEquals("hi,hello,again", render("{% for m in messages[1:] %}{{ m.content.split('\\n')[-1] }}{% if not loop.last %},{% endif %}{% endfor %}", Map.of()));
    }

    @Test
    void whitespaceControlAsJinja2() throws IOException {
        // trim_blocks, lstrip_blocks, {{- -}} on expressions, and the final newline dropped
        assertEquals("<s>\na\nb", render("{{- bos_token }}\n  {% if true %}\n    {{- 'a' }}\n  {% endif %}\n{{ 'b' -}}  \n\n", Map.of()));
        assertEquals("x\n", render("{% if true %}\nx\n{% endif %}\n", Map.of()));
    }

    @Test
    void variablesAndSpecialTokens() throws IOException {
        String t = "{{ bos_token }}{% if enable_thinking is defined and enable_thinking is false %}off{% else %}on{% endif %}"
                + "{% if add_generation_prompt %}+{% endif %}{{ eos_token }}{{ messages[0].get('missing', 'dflt') }}";
        assertEquals("<s>on+<|endoftext|>dflt", render(t, Map.of()));
        assertEquals("<s>off+<|endoftext|>dflt", render(t, Map.of("enable_thinking", false)));
        assertEquals("<s>on<|endoftext|>dflt", withTemplate(t).renderChat(CONVERSATION, false, Map.of("enable_thinking", true)));
    }

    @Test
    void tojsonIsPythonJsonDumps() throws IOException {
        Map<String, Object> tool = new java.util.LinkedHashMap<>();
        tool.put("name", "get_weather");
        tool.put("parameters", new java.util.LinkedHashMap<>(Map.of("type", "object")));
        tool.put("score", 1.5);
        tool.put("tags", List.of("é", "a\"b\n", 3, true));
        tool.put("none", null);
        Map<String, Object> vars = new java.util.HashMap<>();
        vars.put("tools", List.of(tool));
        assertEquals("[{\"name\": \"get_weather\", \"parameters\": {\"type\": \"object\"}, \"score\": 1.5, "
                + "\"tags\": [\"é\", \"a\\\"b\\n\", 3, true], \"none\": null}]", render("{{ tools|tojson }}", vars));
        assertEquals("{\n  \"type\": \"object\"\n}", render("{{ tools[0].parameters|tojson(indent=2) }}", vars));
        assertEquals("1e-05 0.0001 1e+16 12345.678 -0.5", PythonJson.pyFloat(1e-5) + " " + PythonJson.pyFloat(1e-4) + " "
                + PythonJson.pyFloat(1e16) + " " + PythonJson.pyFloat(12345.678) + " " + PythonJson.pyFloat(-0.5));
    }

    @Test
    void raiseExceptionIsATypedError() throws IOException {
        Tokenizer t = withTemplate("{% if messages[0].role != 'user' %}{{ raise_exception('Conversation roles must alternate user/assistant') }}{% endif %}");
        TokenizerException e = assertThrows(TokenizerException.class, () -> t.renderChat(CONVERSATION, true, Map.of()));
        assertEquals("chat_template", e.component());
        assertTrue(e.getMessage().contains("Conversation roles must alternate user/assistant"), e.getMessage());
        TokenizerException syntax = assertThrows(TokenizerException.class, () -> withTemplate("{% for x in %}").renderChat(CONVERSATION, true, Map.of()));
        assertEquals("chat_template", syntax.component());
    }

    @Test
    void strftime() throws IOException {
        assertEquals("26 Jul 2024 07:05 Friday", PythonMethods.strftime(LocalDateTime.of(2024, 7, 26, 7, 5), "%d %b %Y %H:%M %A"));
        assertTrue(render("{{ strftime_now('%Y') }}", Map.of()).matches("\\d{4}"));
    }

    @Test
    void templateSources() throws IOException {
        Path dir = Files.createTempDirectory(tmp, "named");
        Files.copy(Fixtures.tinyModel().resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        Files.writeString(dir.resolve("tokenizer_config.json"),
                "{\"chat_template\": [{\"name\": \"tool_use\", \"template\": \"T\"}, {\"name\": \"default\", \"template\": \"D\"}]}");
        assertEquals("D", Tokenizer.load(dir).renderChat(CONVERSATION, true, Map.of()));
        // transformers >= 4.43 saves the template beside the config; that file wins
        Files.writeString(dir.resolve("chat_template.jinja"), "J{{ messages|length }}\n");
        assertEquals("J4", Tokenizer.load(dir).renderChat(CONVERSATION, true, Map.of()));
    }

    @Test
    void dictItems() throws IOException {
        Map<String, Object> vars = Map.of("d", new java.util.LinkedHashMap<>(Map.of("a", 1)));
        assertEquals("a=1;", render("{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}", vars));
    }
}
