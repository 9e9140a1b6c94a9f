package dev.drllm.cli;

import dev.drllm.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code drllm bench-tokenizer}: single-threaded encode throughput (MB of UTF-8 input per second) on a
 * large text: the task JSONL files of data/tasks plus seeded multilingual text (Latin, accented,
 * Cyrillic, Greek, CJK, Arabic, emoji, numbers, code-like punctuation, whitespace runs). The first
 * pass starts with an empty merge cache; later passes show the steady state.
 */
@Command(name = "bench-tokenizer", mixinStandardHelpOptions = true, description = "Measure tokenizer encode throughput (MB/s).")
final class BenchTokenizerCommand implements Callable<Integer> {
    @Option(names = "--tokenizer", required = true, description = "directory with tokenizer.json, or a GGUF file") Path dir;
    @Option(names = "--data", defaultValue = "data/tasks", description = "directory of text/JSONL files to include (default ${DEFAULT-VALUE})") Path data;
    @Option(names = "--mb", defaultValue = "8", description = "size of the text in MB (default ${DEFAULT-VALUE})") int mb;
    @Option(names = "--passes", defaultValue = "5", description = "encode passes (default ${DEFAULT-VALUE})") int passes;
    @Option(names = "--seed", defaultValue = "1", description = "seed of the generated text") long seed;

    @Override
    public Integer call() throws Exception {
        if (mb < 1 || passes < 1) throw new UserException("--mb and --passes must be at least 1");
        // thread CPU time beside wall time: on a shared machine wall time also counts waiting for a core
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long t0 = System.nanoTime(), c0 = threads.getCurrentThreadCpuTime();
        Tokenizer tok = dev.drllm.gguf.GgufTokenizer.forModel(dir);
        double loadS = (System.nanoTime() - t0) / 1e9, loadCpu = (threads.getCurrentThreadCpuTime() - c0) / 1e9;

        String text = buildText(data, mb * 1_000_000L, seed);
        // encode line-sized chunks, as a serving loop sees prompts, rather than one giant string
        String[] chunks = text.split("(?<=\n)");
        long bytes = text.getBytes(StandardCharsets.UTF_8).length;
        System.out.printf("tokenizer %s: loaded in %.2f s wall, %.2f s CPU; text %.1f MB in %d chunks%n",
                dir, loadS, loadCpu, bytes / 1e6, chunks.length);
        System.out.println("pass  wall_s  cpu_s   MB/s(wall)  MB/s(cpu)  tokens    Mtok/s(cpu)");
        double best = 0, bestCpu = 0;
        for (int p = 1; p <= passes; p++) {
            long s = System.nanoTime(), c = threads.getCurrentThreadCpuTime();
            long tokens = 0;
            for (String chunk : chunks) tokens += tok.encode(chunk).length;
            double sec = (System.nanoTime() - s) / 1e9, cpu = (threads.getCurrentThreadCpuTime() - c) / 1e9;
            best = Math.max(best, bytes / 1e6 / sec);
            bestCpu = Math.max(bestCpu, bytes / 1e6 / cpu);
            System.out.printf("%-5d %-7.2f %-7.2f %-11.1f %-10.1f %-9d %.2f%n", p, sec, cpu, bytes / 1e6 / sec, bytes / 1e6 / cpu, tokens, tokens / 1e6 / cpu);
        }
        System.out.printf("best: %.1f MB/s wall, %.1f MB/s per CPU-second%n", best, bestCpu);
        return 0;
    }

    static String buildText(Path data, long targetBytes, long seed) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        if (Files.isDirectory(data)) {
            try (Stream<Path> files = Files.list(data)) {
                for (Path f : files.sorted().toList()) {
                    if (Files.isRegularFile(f)) sb.append(new String(Files.readAllBytes(f), StandardCharsets.UTF_8));
                }
            }
        }
        Random rnd = new Random(seed);
        String[] scripts = {"abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij", "éèêëàâäôöûüçñßøå",
                "абвгдежзийклмнопрстуфхцчшщыэюя", "αβγδεζηθικλμνξοπρστυφχψω", "的一是不了人我在有他这中大来上个国到说们为子和你地出道也时年",
                "ابتثجحخدذرزسشصضطظعغفقكلمنهوي", "😀😂🥲👍🏽🚀🎉❤️🔥", "0123456789"};
        String punct = ".,;:!?()[]{}<>\"'-+*/=_#$%&@";
        // a few thousand distinct words per script, drawn with a skewed frequency as in real text
        long approx = sb.length();
        while (approx < targetBytes) {
            int s = rnd.nextInt(scripts.length);
            String alphabet = scripts[s];
            int len = 1 + (int) Math.abs(rnd.nextGaussian() * 4);
            int wordSeed = (int) Math.min(5000, Math.abs(rnd.nextGaussian() * 1200));
            Random w = new Random(s * 100_003L + wordSeed);
            int start = sb.length();
            for (int i = 0; i < len; i++) sb.appendCodePoint(alphabet.codePoints().skip(w.nextInt((int) alphabet.codePoints().count())).findFirst().getAsInt());
            int r = rnd.nextInt(100);
            if (r < 8) sb.append(punct.charAt(rnd.nextInt(punct.length())));
            if (r < 3) sb.append('\n');
            else if (r < 4) sb.append("    ");
            else sb.append(' ');
            approx += (long) (sb.length() - start) * (s >= 3 ? 2 : 1);
        }
        return sb.toString();
    }
}
