package dev.drllm.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.runtime.Backend;
import dev.drllm.runtime.Backends;
import dev.drllm.model.Model;
import dev.drllm.model.ModelConfig;
import dev.drllm.runtime.GenerationOptions;
import dev.drllm.runtime.GenerationResult;
import dev.drllm.runtime.Generator;
import dev.drllm.runtime.LayerPath;
import dev.drllm.runtime.Prefill;
import dev.drllm.tokenizer.Tokenizer;
import dev.drllm.util.Json;
import dev.drllm.routing.RoutedPrefill;
import dev.drllm.routing.RoutingDecision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code drllm generate}: greedy or sampled generation along a fixed or routed layer path. Routed by
 * the model's own routers.safetensors when present (as eval, demo and the API), unless --path or
 * --static-routing fixes the layers.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, description = "Generate tokens from a prompt.")
final class GenerateCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin ModelOptions models;
    @Option(names = "--model", required = true, description = "Hugging Face checkpoint directory or GGUF file") Path model;
    @Option(names = "--device", defaultValue = "cpu", description = "cpu or cuda (default ${DEFAULT-VALUE})") String device;
    @Option(names = "--ids", description = "prompt token ids, e.g. 1,2,3") String ids;
    @Option(names = "--prompt", description = "prompt text, encoded without special tokens (DESIGN.md §4)") String prompt;
    @Option(names = "--prompt-file", description = "read the prompt text from this UTF-8 file instead") Path promptFile;
    @Option(names = "--chat", description = "send the prompt text as one user message through the tokenizer's chat template"
            + " (assistant turn opened; for instruct models)") boolean chat;
    @Option(names = "--var", description = "with --chat: template variable NAME=VALUE, e.g. enable_thinking=false; repeatable")
    java.util.List<String> vars = new java.util.ArrayList<>();
    @Option(names = "--tokenizer", description = "tokenizer directory or GGUF file (default: the model's)") Path tokenizerDir;
    @Option(names = "--path", description = "layer path, e.g. 0,1,1,3 (default: every layer once)") String path;
    @Option(names = "--max-new-tokens", defaultValue = "64", description = "tokens to generate (default ${DEFAULT-VALUE})") int maxNew;
    @Option(names = "--temperature", defaultValue = "0", description = "0 = greedy (default)") float temperature;
    @Option(names = "--top-p", defaultValue = "1", description = "nucleus mass (default 1)") float topP;
    @Option(names = "--seed", defaultValue = "0", description = "sampling seed") long seed;
    @Option(names = "--json", description = "print a JSON object instead of the text") boolean json;
    @Mixin RoutingOptions routing;

    @Override
    public Integer call() throws Exception {
        int given = (ids != null ? 1 : 0) + (prompt != null ? 1 : 0) + (promptFile != null ? 1 : 0);
        if (given != 1) throw new UserException("give the prompt with exactly one of --prompt, --prompt-file and --ids");
        // options are checked before the model loads (seconds to minutes on a large one)
        new dev.drllm.runtime.Sampler(temperature, topP, seed);
        if (maxNew < 0) throw new UserException("--max-new-tokens must be >= 0, got " + maxNew);
        ModelConfig config = Model.loadConfig(model);
        String text = ids == null ? TokenizeCommand.readText("--prompt", prompt, promptFile) : null;
        Path tdir = tokenizerDir != null ? tokenizerDir : model;
        // with --ids the text is a convenience: printed only when the directory has a tokenizer
        Tokenizer tok = text != null || tokenizerDir != null || dev.drllm.gguf.GgufTokenizer.available(tdir)
                ? dev.drllm.gguf.GgufTokenizer.forModel(tdir) : null;
        if ((chat || !vars.isEmpty()) && text == null) throw new UserException("--chat and --var need the prompt as text (--prompt or --prompt-file)");
        if (!vars.isEmpty() && !chat) throw new UserException("--var sets chat template variables; it needs --chat");
        if (chat) {
            // as transformers' apply_chat_template(tokenize=True): the rendering carries its own BOS text
            text = tok.renderChat(java.util.List.of(java.util.Map.of("role", "user", "content", text)), true, RenderChatCommand.parseVars(vars));
        }
        int[] promptIds = text != null ? tok.encode(text) : Args.ids(ids);
        if (promptIds.length == 0) throw new UserException("the prompt is empty");
        for (int id : promptIds) {
            if (id < 0 || id >= config.vocabSize()) throw new UserException("prompt token id " + id + " is outside the model's vocabulary of " + config.vocabSize());
        }
        try {
            Generator.requireContext(promptIds.length, maxNew, config.maxPositions());
        } catch (dev.drllm.runtime.ContextLengthException e) {
            throw new UserException(e.getMessage() + (promptIds.length < config.maxPositions() ? "; lower --max-new-tokens" : "; shorten the prompt"));
        }
        if (path != null) Args.path(config.numLayers(), path);
        try (Model m = models.load(model); Backend b = Backends.open(m, device)) {
            int L = m.config().numLayers();
            Path routersFile = routing.routersFile(model, path);
            RoutedPrefill routed = routing.prefill(m, routersFile, path, true);
            LayerPath p = path == null ? LayerPath.full(L) : Args.path(L, path);
            System.err.println("drllm generate: " + routersNote(routersFile, routing.routers == null, path != null));
            java.util.Set<Integer> stops = new java.util.HashSet<>(m.stopTokens());
            // a chat turn ends with the tokenizer's eos (e.g. <|im_end|>), which a base config.json may not list
            if (chat) stops.addAll(tok.stopTokenIds());
            GenerationOptions opts = new GenerationOptions(maxNew, temperature, topP, seed, java.util.Set.copyOf(stops));
            // plain text streams as it is generated (a large model on the CPU takes seconds per sentence)
            boolean stream = !json && tok != null;
            dev.drllm.tokenizer.TextStream pieces = stream ? new dev.drllm.tokenizer.TextStream(tok) : null;
            StringBuilder printed = new StringBuilder();
            GenerationResult r = new Generator(b).generate(promptIds, routed != null ? routed : Prefill.fixed(p), opts, id -> {
                if (stream) {
                    String piece = pieces.append(id);
                    printed.append(piece);
                    System.out.print(piece);
                    System.out.flush();
                }
                return true;
            });
            String reply = tok == null ? null : tok.decode(r.ids(), true);
            if (json) {
                ObjectNode o = Json.MAPPER.createObjectNode();
                var arr = o.putArray("ids");
                for (int id : r.ids()) arr.add(id);
                o.put("text", reply);
                o.put("stop_reason", r.stopReason().name().toLowerCase(java.util.Locale.ROOT));
                var pa = o.putArray("executed_path");
                for (int l : r.path().layers()) pa.add(l);
                o.put("prefill_ms", r.prefillMs());
                if (r.prefillDetails() instanceof RoutingDecision d) o.setAll(RoutingOptions.decisionJson(d));
                o.put("decode_tokens_per_s", r.decodeTokensPerSecond());
                System.out.println(Json.MAPPER.writeValueAsString(o));
            } else {
                if (!stream) {
                    System.out.println(java.util.Arrays.toString(r.ids()));
                } else {
                    // the streamed pieces hold back a trailing incomplete character; the full decode has its U+FFFD
                    System.out.println(reply.startsWith(printed.toString()) ? reply.substring(printed.length()) : "");
                }
            }
        }
        return 0;
    }

    /** Which routers decide the layers, for stderr: the default is picked up silently otherwise. */
    static String routersNote(Path routersFile, boolean isDefault, boolean fixedPath) {
        if (routersFile != null) {
            return "routers " + routersFile + (isDefault ? " (the model's own; --static-routing runs every layer without them)" : "");
        }
        return fixedPath ? "no routers (--path fixes the layers)" : "no routers (every layer once)";
    }
}
