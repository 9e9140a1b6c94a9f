package dev.drllm.tokenizer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.Fixtures;
import dev.drllm.cli.Main;
import dev.drllm.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A chat template loads nothing (issue 22): every tag that loads a template, with every kind of
 * name, fails with a TokenizerException naming the file, the line and the name, and nothing of
 * the resource reaches the rendering or the error; embedded as a library and from the CLI.
 * transformers' environment has no loader, so there every such template fails too.
 */
class TemplateSandboxTest {
    @TempDir Path tmp;

    /** On the test classpath: what an embedding application's own resources stand for. */
    static final String CANARY_RESOURCE = "dev/drllm/tokenizer/canary.txt";
    static final String CANARY = "DRLLM-CANARY-7f3a1c";

    /** The four tags that load a template, each with its name at line 2. */
    private static final Map<String, String> TAGS = Map.of(
            "include", "{%% include %s %%}",
            "import", "{%% import %s as lib %%}{{ lib.x }}",
            "from", "{%% from %s import x %%}{{ x }}",
            "extends", "{%% extends %s %%}{%% block b %%}{%% endblock %%}");

    /** Every kind of name: classpath, file in the model directory, relative, absolute, URL. */
    private List<String> names(Path modelDir) throws IOException {
        Path secret = Files.writeString(tmp.resolve("secret.txt"), CANARY + " in a file");
        Files.writeString(modelDir.resolve("part.jinja"), CANARY + " beside the template");
        return List.of(
                CANARY_RESOURCE, "/" + CANARY_RESOURCE, "classpath:" + CANARY_RESOURCE, "META-INF/MANIFEST.MF",
                "part.jinja", "tokenizer.json", "./part.jinja", "../" + tmp.relativize(secret),
                modelDir.resolve("part.jinja").toString(), secret.toString(), "/etc/hostname",
                secret.toUri().toString(), "jar:" + secret.toUri() + "!/x", "http://127.0.0.1:1/x.jinja",
                "https://example.com/t.jinja");
    }

    private Path modelDir(String template) throws IOException {
        Path dir = Files.createTempDirectory(tmp, "model");
        Files.copy(Fixtures.tinyModel().resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        ObjectNode cfg = Json.MAPPER.createObjectNode().put("eos_token", "<|endoftext|>").put("chat_template", template);
        Files.writeString(dir.resolve("tokenizer_config.json"), Json.MAPPER.writeValueAsString(cfg));
        return dir;
    }

    private static final List<Map<String, Object>> CHAT = List.of(Map.of("role", "user", "content", "hi"));

    /** The canary resource is there to be read: without the sandbox every case below would leak it. */
    @Test
    void theCanaryIsOnTheClasspath() {
        assertNotNull(getClass().getClassLoader().getResource(CANARY_RESOURCE));
    }

    @Test
    void everyTagWithEveryKindOfNameFailsAsALibrary() throws IOException {
        Path probe = modelDir("x");
        int cases = 0;
        for (var tag : TAGS.entrySet()) {
            for (String name : names(probe)) {
                for (String literal : List.of("'" + name + "'", "name_var")) {
                    String template = "a\n" + String.format(tag.getValue(), literal) + "b";
                    Path dir = modelDir(template);
                    Tokenizer t = Tokenizer.load(dir);
                    long before = ChatTemplate.resourceRequests();
                    TokenizerException e = assertThrows(TokenizerException.class,
                            () -> t.renderChat(CHAT, true, Map.of("name_var", name)), template);
                    String where = tag.getKey() + " " + literal + " = " + name + ": " + e.getMessage();
                    assertEquals("chat_template", e.component(), where);
                    assertEquals(dir.resolve("tokenizer_config.json"), e.file(), where);
                    assertTrue(e.getMessage().contains("line 2: cannot load '" + name + "'"), where);
                    assertTrue(e.getMessage().contains("may not load other templates"), where);
                    assertFalse(e.getMessage().contains(CANARY + " ") || e.getMessage().contains("Manifest-Version"), where);
                    assertTrue(ChatTemplate.resourceRequests() > before, where);
                    cases++;
                }
            }
        }
        assertEquals(4 * 15 * 2, cases);
    }

    /** Tags nested in loops, macros and blocks, or behind 'ignore missing', are refused too. */
    @Test
    void nestedAndIgnoreMissingIncludesFail() throws IOException {
        for (String template : List.of(
                "{% for m in messages %}{% include '" + CANARY_RESOURCE + "' %}{% endfor %}",
                "{% macro m() %}{% include '" + CANARY_RESOURCE + "' %}{% endmacro %}{{ m() }}",
                "{% if true %}{% set x %}{% include '" + CANARY_RESOURCE + "' %}{% endset %}{{ x|length }}{% endif %}",
                "{% include '" + CANARY_RESOURCE + "' ignore missing %}",
                "{% include ['nope.jinja', '" + CANARY_RESOURCE + "'] %}")) {
            Tokenizer t = Tokenizer.load(modelDir(template));
            TokenizerException e = assertThrows(TokenizerException.class, () -> t.renderChat(CHAT, true, Map.of()), template);
            assertTrue(e.getMessage().contains("may not load other templates"), template + " -> " + e.getMessage());
        }
    }

    @Test
    void renderChatFromTheCliRefusesEveryTag() throws IOException {
        Path messages = Files.writeString(tmp.resolve("m.json"), "[{\"role\": \"user\", \"content\": \"hi\"}]");
        for (var tag : TAGS.entrySet()) {
            for (String name : List.of("META-INF/MANIFEST.MF", CANARY_RESOURCE, "/etc/hostname", "tokenizer.json", "file:///etc/hostname")) {
                Path dir = modelDir(String.format(tag.getValue(), "'" + name + "'"));
                PrintStream oldOut = System.out, oldErr = System.err;
                ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
                System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
                System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                int code;
                try {
                    code = Main.run(new String[] {"render-chat", "--tokenizer", dir.toString(), "--messages", messages.toString(), "--json"});
                } finally {
                    System.setOut(oldOut);
                    System.setErr(oldErr);
                }
                String e = err.toString(StandardCharsets.UTF_8), o = out.toString(StandardCharsets.UTF_8);
                assertEquals(2, code, tag.getKey() + " " + name + ": " + e);
                assertEquals("", o, tag.getKey() + " " + name);
                assertEquals(1, e.strip().lines().count(), e);
                assertTrue(e.contains(dir.resolve("tokenizer_config.json") + ": chat_template: line 1: cannot load '" + name + "'"), e);
                assertFalse(e.contains(CANARY) || e.contains("Manifest-Version"), e);
            }
        }
    }

    /** The environment has no loader to swap in: the locator Jinjava would use refuses by itself. */
    @Test
    void theLocatorRefusesAnyName() {
        var locator = new ChatTemplate.NoResources();
        List<String> names = new ArrayList<>(List.of(CANARY_RESOURCE, "", "/", ".", "tokenizer.json"));
        for (String n : names) {
            assertThrows(ChatTemplate.ResourceRefused.class, () -> locator.getString(n, StandardCharsets.UTF_8, null));
        }
        assertTrue(locator.getLocationResolver().isEmpty());
    }

    /** No way out to Java: reflection is refused, so no class, class loader or Runtime is reachable. */
    @Test
    void noReflectionFromATemplate() throws IOException {
        for (String expr : List.of("''.getClass()", "messages.getClass().getName()", "messages[0].getClass().forName('java.lang.Runtime')",
                "''.class.forName('java.lang.Runtime').getRuntime().exec('true')", "'a'.__class__.__mro__", "loop.getClass()",
                "raise_exception.getClass()", "('x'|attr('__class__'))", "namespace().getClass().getClassLoader()")) {
            Tokenizer t = Tokenizer.load(modelDir("[{{ " + expr + " }}]"));
            String shown;
            try {
                shown = t.renderChat(CHAT, true, Map.of());
                assertEquals("[]", shown, expr);
            } catch (TokenizerException e) {
                shown = e.getMessage();
            }
            assertFalse(shown.contains("java.lang.Process") || shown.contains("Runtime@") || shown.contains("ClassLoader@"), expr + " -> " + shown);
        }
    }
}
