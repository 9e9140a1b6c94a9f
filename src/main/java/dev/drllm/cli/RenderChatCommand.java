package dev.drllm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.tokenizer.Tokenizer;
import dev.drllm.util.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code drllm render-chat}: a conversation through the tokenizer's chat template, as transformers renders it. */
@Command(name = "render-chat", mixinStandardHelpOptions = true, description = "Render messages with the chat template of tokenizer_config.json.")
final class RenderChatCommand implements Callable<Integer> {
    @Option(names = "--tokenizer", required = true, description = "directory with tokenizer.json and tokenizer_config.json, or a GGUF file") Path dir;
    @Option(names = "--messages", required = true, description = "JSON file: [{\"role\": …, \"content\": …}, …] (or {\"messages\": […]})") Path messagesFile;
    @Option(names = "--var", description = "template variable NAME=VALUE (true/false/null/numbers/JSON parsed, else a string); repeatable") List<String> vars = new ArrayList<>();
    @Option(names = "--no-generation-prompt", description = "do not open the assistant turn (add_generation_prompt=False)") boolean noGenerationPrompt;
    @Option(names = "--json", description = "print {\"text\": …, \"ids\": […]} (ids of the rendering, no special tokens added)") boolean json;

    @Override
    public Integer call() throws Exception {
        List<Map<String, Object>> messages = readMessages(messagesFile);
        Tokenizer tok = dev.drllm.gguf.GgufTokenizer.forModel(dir);
        String text = tok.renderChat(messages, !noGenerationPrompt, parseVars(vars));
        if (json) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("text", text);
            var arr = o.putArray("ids");
            for (int id : tok.encode(text)) arr.add(id);
            System.out.println(Json.MAPPER.writeValueAsString(o));
        } else {
            System.out.print(text);
            System.out.flush();
        }
        return 0;
    }

    static List<Map<String, Object>> readMessages(Path file) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(Files.readAllBytes(file));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UserException(file + ": messages file not found");
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new UserException(file + ": messages are not valid JSON: " + Json.problem(e));
        } catch (IOException e) {
            throw new UserException(file + ": cannot read messages: " + Json.problem(e));
        }
        if (root != null && root.isObject() && root.has("messages")) root = root.get("messages");
        if (root == null || !root.isArray()) throw new UserException(file + ": expected a JSON array of messages");
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode m = root.get(i);
            if (!m.isObject() || !m.path("role").isTextual())
                throw new UserException(file + ": message " + i + " needs a string \"role\"");
            @SuppressWarnings("unchecked")
            Map<String, Object> map = Json.MAPPER.convertValue(m, LinkedHashMap.class);
            out.add(map);
        }
        return out;
    }

    static Map<String, Object> parseVars(List<String> vars) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String v : vars) {
            int eq = v.indexOf('=');
            if (eq <= 0) throw new UserException("--var expects NAME=VALUE, found '" + v + "'");
            out.put(v.substring(0, eq), value(v.substring(eq + 1)));
        }
        return out;
    }

    private static Object value(String s) {
        switch (s) {
            case "true", "True" -> { return Boolean.TRUE; }
            case "false", "False" -> { return Boolean.FALSE; }
            case "null", "None" -> { return null; }
            default -> { }
        }
        try {
            JsonNode n = Json.MAPPER.readTree(s);
            if (n != null && (n.isNumber() || n.isContainerNode())) return Json.MAPPER.convertValue(n, Object.class);
        } catch (IOException e) {
            // not JSON: a plain string
        }
        return s;
    }
}
