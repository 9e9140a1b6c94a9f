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

    /**
     * Nested loops that build nothing stay under every size limit but would run for hours; the
     * render's time budget ends them with a typed error (ParserFuzzTest found a 1.7 KB template
     * of this kind that ran for minutes). A short budget keeps the test fast; the default is 5 s.
     */
    @Test
    void aTemplateThatNeverFinishesHitsTheTimeBudget() throws IOException {
        String bomb = "{% set ns = namespace(n=0) %}{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}"
                + "{% set ns.n = ns.n + 1 %}{% endfor %}{% endfor %}{% endfor %}{{ ns.n }}{{ undefined_tag_after }}";
        Path cfg = Files.createTempDirectory("drllm-bomb").resolve("tokenizer_config.json");
        ObjectNode json = Json.MAPPER.createObjectNode().put("chat_template", bomb);
        ChatTemplate t = ChatTemplate.find(cfg.getParent(), json, cfg).withRenderMillis(300);
        long start = System.nanoTime();
        TokenizerException e = assertThrows(TokenizerException.class,
                () -> t.render(CONVERSATION, true, Map.of(), new SpecialTokens(cfg, null, null, null, null)));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(e.getMessage().contains("took longer than 300 ms"), e.getMessage());
        assertTrue(e.getMessage().contains(cfg.toString()), "names the file: " + e.getMessage());
        // generous: the loop unwinds after the budget (each remaining step fails fast); a machine shared by builds
        assertTrue(seconds < 30, "ended after " + seconds + " s");
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
    void notBindsLooserThanComparisonsAsInJinja2() throws IOException {
        assertEquals("1|2|3|4|5|6", render("{% if not 1 == 2 %}1{% endif %}|{{ '2' if not undefined_thing is defined else 'x' }}|"
                + "{% if messages is not none and not messages|length == 3 %}3{% endif %}|{% if 'q' not in 'abc' %}4{% endif %}|"
                + "{%- if not (messages[0].role == 'user' or 'tool_calls' in messages[0]) -%} 5 {%- endif -%}|"
                + "{{ 6 if not messages[0].content.startswith('x') }}", Map.of()));
    }

    @Test
    void rawBlocksAreLeftAlone() throws IOException {
        assertEquals("{{ not a == b }}x", render("{% raw %}{{ not a == b }}{% endraw %}x", Map.of()));
        // an unterminated raw block is Jinjava's error to report, never an exception of the rewrite
        assertThrows(TokenizerException.class, () -> render("{% raw %}{{ not a", Map.of()));
    }

    /** The source rewrites never throw, whatever fragments of Jinja syntax they meet (seeded fuzz). */
    @Test
    void rewritesSurviveRandomTemplateFragments() {
        String[] frags = {"{%", "%}", "{{", "}}", "{#", "#}", "-", " ", "raw", "endraw", "not", " not ", "is", "in", "and", "or",
                "namespace(", "n=", "x|length - 1", ",", "(", ")", "[", "]", "[::-1]", "'", "\"", "\\", "==", "if", "else", "a", "\n"};
        java.util.Random rnd = new java.util.Random(5);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = rnd.nextInt(24); k >= 0; k--) sb.append(frags[rnd.nextInt(frags.length)]);
            JinjaCompat.rewrite(sb.toString());
        }
    }

    @Test
    void jinja2TypeTests() throws IOException {
        Map<String, Object> vars = Map.of("d", Map.of("a", 1), "l", List.of(1), "n", 3);
        assertEquals("s:iter,seq;d:iter,seq,map;l:iter,seq;n:", render("{% for name, v in [('s', 'str'), ('d', d), ('l', l), ('n', n)] %}"
                + "{{ name }}:{% set ns = namespace(t=[]) %}{% if v is iterable %}{% set ns.t = ns.t + ['iter'] %}{% endif %}"
                + "{% if v is sequence %}{% set ns.t = ns.t + ['seq'] %}{% endif %}{% if v is mapping %}{% set ns.t = ns.t + ['map'] %}{% endif %}"
                + "{{ ns.t|join(',') }}{% if not loop.last %};{% endif %}{% endfor %}", vars));
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

    /** A syntax error fails before anything renders (Jinjava rendered around it: loops ran for seconds first). */
    @Test
    void syntaxErrorsFailBeforeRendering() throws IOException {
        Tokenizer t = withTemplate("{{ raise_exception('rendered') }}{% for i in range(30) %}{% bogus %}{% endfor %}");
        TokenizerException e = assertThrows(TokenizerException.class, () -> t.renderChat(CONVERSATION, true, Map.of()));
        assertTrue(e.getMessage().contains("Unknown tag: bogus") && !e.getMessage().contains("rendered"), e.getMessage());
    }

    @Test
    void stringMethodsCannotExhaustMemory() throws IOException {
        // 40 doublings would be 2^40 chars: the bound turns it into a typed error
        Tokenizer t = withTemplate("{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s.replace('a', 'aa') %}{% endfor %}{{ ns.s|length }}");
        TokenizerException e = assertThrows(TokenizerException.class, () -> t.renderChat(CONVERSATION, true, Map.of()));
        assertEquals("chat_template", e.component());
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

    /** Meta's Llama-3.2-Instruct template (src/test/resources/tokenizers/templates), the paper's main model. */
    private Tokenizer llama32() throws IOException {
        return withTemplate(Files.readString(TokenizerFixtures.resources().resolve("templates/llama3.2-instruct.jinja")));
    }

    private static final String SYS = "<|start_header_id|>system<|end_header_id|>\n\n";
    private static final String USER = "<|start_header_id|>user<|end_header_id|>\n\n";
    private static final String ASSISTANT = "<|start_header_id|>assistant<|end_header_id|>\n\n";

    @Test
    void llama32Conversation() throws IOException {
        List<Map<String, Object>> msgs = List.of(Map.of("role", "system", "content", "You are terse. "),
                Map.of("role", "user", "content", "Name a prime."), Map.of("role", "assistant", "content", "7"),
                Map.of("role", "user", "content", "Another?"));
        String expected = "<s>" + SYS + "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\nYou are terse.<|eot_id|>"
                + USER + "Name a prime.<|eot_id|>" + ASSISTANT + "7<|eot_id|>" + USER + "Another?<|eot_id|>" + ASSISTANT;
        assertEquals(expected, llama32().renderChat(msgs, true, Map.of("date_string", "26 Jul 2024")));
        // strftime_now is defined, as in transformers, so the date is today's
        String today = PythonMethods.strftime(LocalDateTime.now(), "%d %b %Y");
        assertTrue(llama32().renderChat(msgs, false, Map.of()).contains("Today Date: " + today + "\n\n"));
    }

    @Test
    void llama32Tools() throws IOException {
        Map<String, Object> fn = new java.util.LinkedHashMap<>();
        fn.put("name", "get_weather");
        fn.put("parameters", Map.of("type", "object"));
        Map<String, Object> tool = new java.util.LinkedHashMap<>();
        tool.put("type", "function");
        tool.put("function", fn);
        String expected = "<s>" + SYS + "Environment: ipython\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n<|eot_id|>"
                + USER + "Given the following functions, please respond with a JSON for a function call with its proper arguments "
                + "that best answers the given prompt.\n\nRespond in the format {\"name\": function name, \"parameters\": "
                + "dictionary of argument name and its value}.Do not use variables.\n\n"
                + "{\n    \"type\": \"function\",\n    \"function\": {\n        \"name\": \"get_weather\",\n"
                + "        \"parameters\": {\n            \"type\": \"object\"\n        }\n    }\n}\n\n"
                + "What is the weather in Paris?<|eot_id|>" + ASSISTANT;
        assertEquals(expected, llama32().renderChat(List.of(Map.of("role", "user", "content", "What is the weather in Paris?")), true,
                Map.of("date_string", "26 Jul 2024", "tools", List.of(tool))));

        // a tool call and its result; Jinja2 finds a string "iterable", so the result is rendered through tojson
        Map<String, Object> call = Map.of("function", Map.of("name", "get_weather", "arguments", Map.of("city", "Paris")));
        List<Map<String, Object>> msgs = List.of(Map.of("role", "user", "content", "Weather?"),
                Map.of("role", "assistant", "tool_calls", List.of(call)), Map.of("role", "tool", "content", "sunny"));
        String expected2 = "<s>" + SYS + "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n<|eot_id|>"
                + USER + "Weather?<|eot_id|>" + ASSISTANT + "{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}<|eot_id|>"
                + "<|start_header_id|>ipython<|end_header_id|>\n\n\"sunny\"<|eot_id|>" + ASSISTANT;
        assertEquals(expected2, llama32().renderChat(msgs, true, Map.of("date_string", "26 Jul 2024")));
        // two tool calls at once are rejected by the template itself
        List<Map<String, Object>> two = List.of(Map.of("role", "user", "content", "x"), Map.of("role", "assistant", "tool_calls", List.of(call, call)));
        TokenizerException e = assertThrows(TokenizerException.class, () -> llama32().renderChat(two, true, Map.of("date_string", "d")));
        assertTrue(e.getMessage().contains("only supports single tool-calls"), e.getMessage());
    }

    @Test
    void qwen25ConversationAndTools() throws IOException {
        Tokenizer q = withTemplate(Files.readString(TokenizerFixtures.resources().resolve("templates/qwen2.5-instruct.jinja")));
        String defaultSystem = "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.";
        assertEquals(defaultSystem + "<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n",
                q.renderChat(List.of(Map.of("role", "user", "content", "What is 2+2?")), true, Map.of()));

        Map<String, Object> fn = new java.util.LinkedHashMap<>();
        fn.put("name", "get_weather");
        fn.put("parameters", Map.of("type", "object"));
        Map<String, Object> tool = new java.util.LinkedHashMap<>();
        tool.put("type", "function");
        tool.put("function", fn);
        Map<String, Object> call = Map.of("type", "function", "function", Map.of("name", "get_weather", "arguments", Map.of("city", "Paris")));
        List<Map<String, Object>> msgs = List.of(Map.of("role", "user", "content", "Weather?"),
                Map.of("role", "assistant", "tool_calls", List.of(call)), Map.of("role", "tool", "content", "sunny"));
        String expected = defaultSystem + "\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
                + "You are provided with function signatures within <tools></tools> XML tags:\n<tools>\n"
                + "{\"type\": \"function\", \"function\": {\"name\": \"get_weather\", \"parameters\": {\"type\": \"object\"}}}\n</tools>\n\n"
                + "For each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n"
                + "<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call><|im_end|>\n"
                + "<|im_start|>user\nWeather?<|im_end|>\n<|im_start|>assistant\n<tool_call>\n"
                + "{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call><|im_end|>\n"
                + "<|im_start|>user\n<tool_response>\nsunny\n</tool_response><|im_end|>\n<|im_start|>assistant\n";
        assertEquals(expected, q.renderChat(msgs, true, Map.of("tools", List.of(tool))));
    }
}
