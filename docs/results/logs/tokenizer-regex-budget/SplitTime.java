package dev.drllm.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.util.Json;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Pre-tokenizer split time alone and whole encode time, per pass over bench-tokenizer's text (line
 * chunks), single-threaded: the A/B of the regex work budget. Args: tokenizer dir, passes.
 * Compiled against drllm.jar into the dev.drllm.tokenizer package (it calls the package-private
 * PreTokenizer); see ab.sh.
 */
public final class SplitTime {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int passes = Integer.parseInt(args[1]);
        Path json = dir.resolve("tokenizer.json");
        JsonNode root = Json.MAPPER.readTree(json.toFile());
        PreTokenizer pre = PreTokenizer.parse(root.get("pre_tokenizer"), json);
        Tokenizer tok = Tokenizer.load(dir);
        java.lang.reflect.Method build = Class.forName("dev.drllm.cli.BenchTokenizerCommand")
                .getDeclaredMethod("buildText", Path.class, long.class, long.class);
        build.setAccessible(true);
        String text = (String) build.invoke(null, Path.of("data/tasks"), 8_000_000L, 1L);
        String[] chunks = text.split("(?<=\n)");
        double mb = text.getBytes(StandardCharsets.UTF_8).length / 1e6;
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        double[] split = new double[passes], encode = new double[passes];
        long pieces = 0, tokens = 0;
        for (int p = 0; p < passes; p++) {
            long[] n = {0};
            long c = threads.getCurrentThreadCpuTime();
            for (String s : chunks) pre.forEachPiece(s, piece -> { n[0]++; return true; });
            split[p] = (threads.getCurrentThreadCpuTime() - c) / 1e9;
            pieces = n[0];
            c = threads.getCurrentThreadCpuTime();
            long t = 0;
            for (String s : chunks) t += tok.encode(s).length;
            encode[p] = (threads.getCurrentThreadCpuTime() - c) / 1e9;
            tokens = t;
        }
        // the first passes warm up the JIT and the merge cache: the median of the second half
        double[] s2 = Arrays.copyOfRange(split, passes / 2, passes), e2 = Arrays.copyOfRange(encode, passes / 2, passes);
        Arrays.sort(s2);
        Arrays.sort(e2);
        System.out.printf("%s: %.1f MB, %d pieces, %d tokens; split s/pass %s; encode s/pass %s%n", dir.getFileName(), mb, pieces, tokens,
                Arrays.toString(Arrays.stream(split).map(x -> Math.round(x * 1000) / 1000.0).toArray()),
                Arrays.toString(Arrays.stream(encode).map(x -> Math.round(x * 1000) / 1000.0).toArray()));
        System.out.printf("median of last %d: split %.1f MB/s (cpu), encode %.1f MB/s (cpu)%n", s2.length,
                mb / s2[s2.length / 2], mb / e2[e2.length / 2]);
    }
}
