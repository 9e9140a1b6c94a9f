package dev.drllm.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.model.Model;
import dev.drllm.routing.RoutedPrefill;
import dev.drllm.routing.Routers;
import dev.drllm.routing.RoutingDecision;
import dev.drllm.routing.DecisionRule;
import dev.drllm.routing.WindowPooling;
import dev.drllm.util.Json;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** The routing options shared by {@code drllm logits} and {@code drllm generate} (a picocli mixin). */
final class RoutingOptions {
    @Option(names = "--routers", paramLabel = "FILE",
            description = "routers.safetensors (model.routers.{l}.* tensors), or a directory: its routers.safetensors, else the model.routers.* tensors of its checkpoint")
    Path routers;
    @Option(names = "--route-bias", paramLabel = "skip=X,repeat=Y", description = "added to the skip / repeat router logits before argmax")
    String routeBias;
    @Option(names = "--max-path", paramLabel = "N", description = "cap on executed slots: drops the least-confident repeats, then executes")
    Integer maxPath;
    @Option(names = "--windows", paramLabel = "W",
            description = "pooling windows; must equal the W stored with the routers (used only for files that store none; default 8)")
    Integer windows;
    @Option(names = "--pooling", paramLabel = "windowed|full", defaultValue = "windowed",
            description = "windowed (the reference, default) or full (one mean over every token; not for reference-trained routers)")
    String pooling;
    @Option(names = "--static-routing", description = "execute every layer once (the base model, bit for bit), still reporting router logits"
            + " when --routers is given; without --routers no routers are loaded (generate: not even the model's own)")
    boolean staticRouting;

    /** Whether any routing option asks for routed prefill. */
    boolean active() {
        return routers != null || staticRouting;
    }

    /**
     * The routers file a run uses: {@code --routers}, else — when {@code modelDir} is given and
     * neither {@code --path} nor {@code --static-routing} fixes the layers — the model's own
     * routers ({@link Routers#resolve}); null for none.
     */
    Path routersFile(Path modelDir, String pathOption) {
        if (routers != null) return Routers.resolve(modelDir, routers);
        return pathOption != null || staticRouting ? null : Routers.resolve(modelDir, null);
    }

    /** The routed prefill of {@code --routers} only (no default routers); null when routing is not asked for. */
    RoutedPrefill prefill(Model m, String pathOption, boolean lastOnly) {
        return prefill(m, routers, pathOption, lastOnly);
    }

    /**
     * The routed prefill the options describe with routers {@code file} (null: none); null when the
     * run is not routed (plain --path or full-path run).
     */
    RoutedPrefill prefill(Model m, Path file, String pathOption, boolean lastOnly) {
        boolean tuned = routeBias != null || maxPath != null || windows != null || !"windowed".equals(pooling.toLowerCase(Locale.ROOT));
        if (file == null && !staticRouting) {
            if (tuned) throw new UserException("--route-bias, --max-path, --windows and --pooling need routers (--routers FILE)");
            return null;
        }
        if (pathOption != null) throw new UserException("--path fixes the layers; it cannot be combined with --routers or --static-routing");
        if (staticRouting && (routeBias != null || maxPath != null)) {
            throw new UserException("--static-routing executes every layer; --route-bias and --max-path do not apply");
        }
        if (file == null && tuned) throw new UserException("--route-bias, --max-path, --windows and --pooling need routers (--routers FILE)");
        WindowPooling.Mode mode = switch (pooling.toLowerCase(Locale.ROOT)) {
            case "windowed" -> WindowPooling.Mode.WINDOWED;
            case "full" -> WindowPooling.Mode.FULL;
            default -> throw new UserException("--pooling must be windowed or full, not '" + pooling + "'");
        };
        if (windows != null && windows < 1) throw new UserException("--windows must be >= 1, got " + windows);
        if (maxPath != null && maxPath < 0) throw new UserException("--max-path must be >= 0, got " + maxPath);
        // --static-routing without routers is the plain full path: nothing is routed, so nothing routing-related to report
        if (file == null) return null;
        Routers r = Routers.load(file, m.config(), windows);
        if (windows != null && r.windowsStored() && r.windows() != windows) {
            throw new UserException("--windows " + windows + " does not match W = " + r.windows() + " stored with the routers in " + file);
        }
        DecisionRule policy = staticRouting ? DecisionRule.staticAll() : DecisionRule.argmax();
        if (routeBias != null) {
            float[] bias = parseBias(routeBias);
            policy = policy.withBias(bias[0], bias[1]);
        }
        if (maxPath != null) policy = policy.withMaxPath(maxPath);
        return new RoutedPrefill(r, mode, policy, lastOnly);
    }

    /** "skip=X,repeat=Y", either part optional. */
    static float[] parseBias(String text) {
        float[] out = new float[2];
        for (String part : text.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) continue;
            int eq = p.indexOf('=');
            if (eq < 0) throw new UserException("--route-bias: '" + p + "' is not key=value (expected skip=X,repeat=Y)");
            String key = p.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            float v;
            try {
                v = Float.parseFloat(p.substring(eq + 1).strip());
            } catch (NumberFormatException e) {
                throw new UserException("--route-bias: '" + p.substring(eq + 1).strip() + "' is not a number");
            }
            if (!Float.isFinite(v)) throw new UserException("--route-bias: " + key + " must be finite");
            switch (key) {
                case "skip" -> out[0] = v;
                case "repeat" -> out[1] = v;
                default -> throw new UserException("--route-bias: unknown key '" + key + "' (expected skip or repeat)");
            }
        }
        return out;
    }

    /** The decision fields of the JSON outputs ("decisions", "decision_logits", …). */
    static ObjectNode decisionJson(RoutingDecision d) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        ArrayNode dec = o.putArray("decisions");
        for (int c : d.decisions()) dec.add(c);
        if (d.decisionLogits() != null) {
            ArrayNode logits = o.putArray("decision_logits");
            for (float[] row : d.decisionLogits()) {
                ArrayNode r = logits.addArray();
                for (float v : row) r.add(v);
            }
        }
        if (d.capped()) {
            ArrayNode routed = o.putArray("routed_decisions");
            for (int c : d.routed()) routed.add(c);
        }
        o.put("capped", d.capped());
        o.put("layers_saved", d.layersSaved());
        o.put("windows", d.windows());
        o.put("routing_ms", d.routingNanos() / 1e6);
        return o;
    }

    /** Writes the decision fields into the object {@code g} is inside. */
    static void writeDecision(JsonGenerator g, RoutingDecision d) throws IOException {
        for (var e : decisionJson(d).properties()) {
            g.writeFieldName(e.getKey());
            g.writeTree(e.getValue());
        }
    }
}
