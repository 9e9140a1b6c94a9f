package dev.drllm.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.drllm.runtime.Backend;
import dev.drllm.runtime.Backends;
import dev.drllm.model.Model;
import dev.drllm.runtime.KvCache;
import dev.drllm.runtime.LayerPath;
import dev.drllm.runtime.PathExecutor;
import dev.drllm.util.Json;
import dev.drllm.routing.RoutedPrefill;
import dev.drllm.routing.RoutingDecision;
import dev.drllm.runtime.Prefill;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code drllm logits}: the logits of every prompt position along a layer path, as JSON. */
@Command(name = "logits", mixinStandardHelpOptions = true, description = "Write the logits of every position for a prompt of token ids, along a fixed or routed path.")
final class LogitsCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Hugging Face checkpoint directory") Path model;
    @Option(names = "--device", defaultValue = "cpu", description = "cpu or cuda (default ${DEFAULT-VALUE})") String device;
    @Option(names = "--ids", required = true, description = "prompt token ids, e.g. 1,2,3") String ids;
    @Option(names = "--path", description = "layer path, e.g. 0,1,1,3 (default: every layer once)") String path;
    @Option(names = "--out", required = true, description = "output JSON file") Path out;
    @Mixin RoutingOptions routing;

    @Override
    public Integer call() throws Exception {
        int[] tokens = Args.ids(ids);
        if (tokens.length == 0) throw new UserException("--ids is empty");
        try (Model m = Model.load(model); Backend b = Backends.open(m, device)) {
            int L = m.config().numLayers();
            RoutedPrefill routed = routing.prefill(m, path, false);
            LayerPath p = path == null ? LayerPath.full(L) : Args.path(L, path);
            if (tokens.length > m.config().maxPositions()) {
                throw new dev.drllm.runtime.ContextLengthException(tokens.length + " tokens exceed the model's context of " + m.config().maxPositions());
            }
            float[] logits;
            RoutingDecision decision = null;
            if (routed != null) {
                try (KvCache cache = b.newCache(2 * L, tokens.length)) {
                    Prefill.Result r = routed.run(new PathExecutor(b), tokens, cache);
                    logits = r.lastLogits();
                    p = r.path();
                    decision = (RoutingDecision) r.details();
                }
            } else {
                try (KvCache cache = b.newCache(Math.max(1, p.length()), tokens.length)) {
                    logits = new PathExecutor(b).forward(tokens, p, cache, false);
                }
            }
            writeLogits(out, logits, tokens.length, m.config().vocabSize(), p, decision);
        }
        return 0;
    }

    static void writeLogits(Path out, float[] logits, int rows, int vocab, LayerPath p, RoutingDecision decision) throws java.io.IOException {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        try (OutputStream os = Files.newOutputStream(out); JsonGenerator g = Json.MAPPER.getFactory().createGenerator(os)) {
            g.writeStartObject();
            g.writeArrayFieldStart("logits");
            for (int t = 0; t < rows; t++) {
                g.writeStartArray();
                for (int v = 0; v < vocab; v++) g.writeNumber(logits[t * vocab + v]);
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("executed_path");
            for (int l : p.layers()) g.writeNumber(l);
            g.writeEndArray();
            if (decision != null) RoutingOptions.writeDecision(g, decision);
            g.writeEndObject();
        }
    }
}
