package dev.drllm.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.cpu.CpuBackend;
import dev.drllm.model.Model;
import dev.drllm.runtime.KvCache;
import dev.drllm.runtime.LayerPath;
import dev.drllm.runtime.PathExecutor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * drllm and llama.cpp on the same GGUF file, measured in alternation: both engines stay loaded
 * (drllm in this JVM, llama.cpp in a {@code node bench/llamacpp.mjs MODEL THREADS --serve}
 * child), and each round runs one prefill of each, then one decode of each, the engine that goes
 * first alternating from round to round, with a pause between turns so neither engine's threads
 * are still spinning when the other starts. The VM this project is measured on drifts by 15-30%
 * from one minute to the next; engines measured minutes apart (JMH, then llama.cpp) compare
 * those minutes as much as the engines, while a round's two measurements share theirs. The
 * per-round ratios drllm / llama.cpp, their median and quartiles, are the side-by-side figures.
 *
 * <p>Protocol, the same for both engines (bench/llamacpp.mjs): a 128-token prompt of random ids;
 * prefill = the whole prompt from an empty cache; decode = the prompt's first 127 tokens, its last
 * token (not timed), then {@value #DECODE} tokens timed one by one. Warm-up before the first
 * round: drllm's kernels compiled on the tiny model ({@link ModelBench#warmUpKernels}) and one
 * prefill and decode of each engine, not counted.
 *
 * <p>Usage: {@code Duel MODEL.gguf THREADS ROUNDS OUT.json LLAMACPP.mjs} (run by bench/run.sh
 * with {@code -Ddrllm.threads=THREADS}); writes OUT.json (each engine's runs and medians, the
 * per-round ratios and their quartiles) and prints a line per measurement.
 */
public final class Duel {
    static final int DECODE = 48;
    /** Pause between two measurements, long enough for either engine's worker threads to stop spinning. */
    private static final long PAUSE_MS = 300;

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: Duel MODEL.gguf THREADS ROUNDS OUT.json LLAMACPP.mjs");
            System.exit(2);
        }
        Path model = Path.of(args[0]), out = Path.of(args[3]), script = Path.of(args[4]);
        int threads = Integer.parseInt(args[1]), rounds = Integer.parseInt(args[2]);
        if (rounds < 1) throw new IllegalArgumentException("ROUNDS must be at least 1, got " + rounds);
        ModelBench.warmUpKernels();
        KernelsBench.awaitVectorKernels();
        try (Model m = Model.load(model); CpuBackend backend = new CpuBackend(m);
             Peer peer = new Peer(script, model, threads)) {
            Drllm ours = new Drllm(m, backend);
            // not counted: page-ins, the first use of every code path in either engine
            ours.prefill();
            ours.decode();
            peer.measure("prefill");
            peer.measure("decode");
            double[][] prefill = new double[2][rounds], decode = new double[2][rounds];
            for (int r = 0; r < rounds; r++) {
                boolean oursFirst = r % 2 == 0;
                turns(oursFirst, ours::prefill, () -> peer.measure("prefill"), prefill, r);
                turns(oursFirst, ours::decode, () -> peer.measure("decode"), decode, r);
                System.out.printf("%s round %d/%d (%s first): prefill drllm %.1f, llama.cpp %.1f tok/s (%.3f); decode drllm %.2f, llama.cpp %.2f tok/s (%.3f)%n",
                        LocalTime.now().truncatedTo(ChronoUnit.SECONDS), r + 1, rounds, oursFirst ? "drllm" : "llama.cpp",
                        prefill[0][r], prefill[1][r], prefill[0][r] / prefill[1][r], decode[0][r], decode[1][r], decode[0][r] / decode[1][r]);
            }
            ObjectMapper om = new ObjectMapper();
            ObjectNode json = om.createObjectNode();
            json.put("model", model.getFileName().toString());
            json.put("threads", threads);
            json.put("rounds", rounds);
            json.put("prompt", ModelBench.PROMPT);
            json.put("decodeTokens", DECODE);
            json.put("cpu", cpuName());
            json.put("peer", "llama.cpp via node-llama-cpp (" + script.getFileName() + " --serve)");
            report(json, "prefill", prefill);
            report(json, "decode", decode);
            try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                om.writerWithDefaultPrettyPrinter().writeValue(w, json);
            }
        }
    }

    /** One measurement of one engine, in tokens/s. */
    private interface Measure {
        double run() throws IOException;
    }

    /** Round r's two turns, the engine going first as given, a pause before each: drllm's result into {@code into[0][r]}, llama.cpp's into {@code into[1][r]}. */
    private static void turns(boolean oursFirst, Measure ours, Measure peer, double[][] into, int r) throws IOException, InterruptedException {
        for (int k = 0; k < 2; k++) {
            boolean isOurs = (k == 0) == oursFirst;
            pause();
            into[isOurs ? 0 : 1][r] = (isOurs ? ours : peer).run();
        }
    }

    /** One part's runs ({@code v[0]} drllm, {@code v[1]} llama.cpp, by round), medians and per-round ratios into {@code json.part}, and a line on stdout. */
    private static void report(ObjectNode json, String part, double[][] v) {
        int rounds = v[0].length;
        double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) ratio[r] = v[0][r] / v[1][r];
        double ours = quantile(v[0], 0.5), peer = quantile(v[1], 0.5);
        double median = quantile(ratio, 0.5), q1 = quantile(ratio, 0.25), q3 = quantile(ratio, 0.75);
        ObjectNode n = json.putObject(part);
        n.putPOJO("drllm", v[0]);
        n.putPOJO("llamacpp", v[1]);
        n.putPOJO("ratio", ratio);
        n.put("drllmMedian", ours);
        n.put("llamacppMedian", peer);
        n.put("ratioMedian", median);
        n.put("ratioQ1", q1);
        n.put("ratioQ3", q3);
        System.out.printf("%s: drllm %.2f, llama.cpp %.2f tok/s (medians of %d); drllm / llama.cpp per round: median %.3f, quartiles %.3f-%.3f%n",
                part, ours, peer, rounds, median, q1, q3);
    }

    /** drllm's side of the protocol: the executor on the full path, as the generator runs it. */
    private static final class Drllm {
        private final Model m;
        private final PathExecutor executor;
        private final LayerPath layers;
        private final KvCache cache;
        private final int[] prompt;

        Drllm(Model m, CpuBackend backend) {
            this.m = m;
            executor = new PathExecutor(backend);
            layers = LayerPath.full(m.config().numLayers());
            prompt = new Random(11).ints(ModelBench.PROMPT, 3, m.config().vocabSize()).toArray();
            cache = backend.newCache(layers.length(), ModelBench.PROMPT + DECODE + 1);
        }

        double prefill() {
            cache.truncate(0);
            long t0 = System.nanoTime();
            executor.forward(prompt, layers, cache, true);
            return prompt.length / ((System.nanoTime() - t0) / 1e9);
        }

        double decode() {
            cache.truncate(0);
            executor.forward(Arrays.copyOf(prompt, prompt.length - 1), layers, cache, false);
            executor.forward(new int[]{prompt[prompt.length - 1]}, layers, cache, true);
            int token = prompt[prompt.length - 1], vocab = m.config().vocabSize();
            long t0 = System.nanoTime();
            for (int i = 0; i < DECODE; i++) {
                token = (token * 31 + 7) % vocab; // any next id: greedy on random weights costs the same
                executor.forward(new int[]{token}, layers, cache, true);
            }
            return DECODE / ((System.nanoTime() - t0) / 1e9);
        }
    }

    /** llama.cpp in a node child ({@code llamacpp.mjs --serve}): one request line, one JSON answer line. */
    private static final class Peer implements AutoCloseable {
        private final Process process;
        private final BufferedReader in;
        private final Writer toPeer;
        private final ObjectMapper om = new ObjectMapper();

        Peer(Path script, Path model, int threads) throws IOException {
            process = new ProcessBuilder("node", script.toString(), model.toAbsolutePath().toString(), Integer.toString(threads), "--serve")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            toPeer = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            String first = in.readLine();
            if (!"ready".equals(first)) throw new IOException("llama.cpp peer " + script + " did not start on " + model + " (said " + first + ")");
        }

        double measure(String what) throws IOException {
            toPeer.write(what + "\n");
            toPeer.flush();
            String line = in.readLine();
            if (line == null) throw new IOException("llama.cpp peer ended without answering " + what);
            var answer = om.readTree(line);
            if (!answer.has(what)) throw new IOException("llama.cpp peer answered " + line + " to " + what);
            return answer.get(what).asDouble();
        }

        @Override
        public void close() throws IOException, InterruptedException {
            try {
                toPeer.write("quit\n");
                toPeer.flush();
            } catch (IOException ignored) {
                // already gone; waitFor below reports nothing more useful
            }
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
        }
    }

    private static void pause() throws InterruptedException {
        Thread.sleep(PAUSE_MS);
    }

    /** The q-quantile of {@code v} by linear interpolation between order statistics. */
    static double quantile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        double pos = q * (s.length - 1);
        int lo = (int) Math.floor(pos), hi = (int) Math.ceil(pos);
        return s[lo] + (pos - lo) * (s[hi] - s[lo]);
    }

    /**
     * The CPU's name with its family and model (this project's two "AMD EPYC" VMs are family 25, Zen 3,
     * and family 26, Zen 5) and the JVM's vector width, e.g. "AMD EPYC (family 26 model 2), 512-bit vectors".
     */
    private static String cpuName() throws IOException {
        String bits = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit vectors";
        Path info = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(info)) return System.getProperty("os.arch") + ", " + bits;
        List<String> lines = Files.readAllLines(info);
        return cpuField(lines, "model name", System.getProperty("os.arch"))
                + " (family " + cpuField(lines, "cpu family", "?") + " model " + cpuField(lines, "model", "?") + "), " + bits;
    }

    /** The first /proc/cpuinfo value of {@code key} (the key alone before the colon). */
    private static String cpuField(List<String> lines, String key, String otherwise) {
        for (String l : lines) {
            int c = l.indexOf(':');
            if (c > 0 && l.substring(0, c).trim().equals(key)) return l.substring(c + 1).trim();
        }
        return otherwise;
    }
}
