package dev.drllm.tokenizer;

import dev.drllm.util.Json;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;

/**
 * The regex matching alone (the part the work budget touches), on bench-tokenizer's text in line
 * chunks: the tokenizer's split pattern run over a plain String and over SplitPattern's budgeted
 * view, alternating blocks of chunks in one JVM (so both go through the same, bimorphic charAt call sites, as
 * in a service that also runs other regexes). Args: tokenizer dir, passes per side.
 */
public final class RegexTime {
    public static void main(String[] args) throws Exception {
        Path json = Path.of(args[0]).resolve("tokenizer.json");
        int passes = Integer.parseInt(args[1]);
        String regex = Json.MAPPER.readTree(json.toFile()).at("/pre_tokenizer/pretokenizers/0/pattern/Regex").asText();
        SplitPattern p = SplitPattern.compile(regex, json, "pre_tokenizer.pretokenizers[0].pattern.Regex");
        java.lang.reflect.Method build = Class.forName("dev.drllm.cli.BenchTokenizerCommand")
                .getDeclaredMethod("buildText", Path.class, long.class, long.class);
        build.setAccessible(true);
        String text = (String) build.invoke(null, Path.of("data/tasks"), 8_000_000L, 1L);
        String[] chunks = text.split("(?<=\n)");
        double mb = text.getBytes(StandardCharsets.UTF_8).length / 1e6;
        // the two sides alternate every block of chunks (which goes first swaps too), so a slow spell of
        // the shared machine lands on both; a pass is the sum of its blocks per side
        int block = 256;
        double[] plain = new double[passes], budgeted = new double[passes];
        long plainMatches = 0, budgetedMatches = 0;
        for (int r = 0; r < passes; r++) {
            long tp = 0, tb = 0, np = 0, nb = 0;
            for (int from = 0, k = 0; from < chunks.length; from += block, k++) {
                int to = Math.min(chunks.length, from + block);
                for (int side = 0; side < 2; side++) {
                    boolean budget = (side ^ (k & 1)) == 1;
                    long t0 = System.nanoTime(), n = 0;
                    for (int i = from; i < to; i++) {
                        if (budget) {
                            Matcher m = p.matcher(chunks[i]);
                            while (p.find(m)) n += m.end();
                        } else {
                            Matcher m = p.pattern().matcher(chunks[i]);
                            while (m.find()) n += m.end();
                        }
                    }
                    long dt = System.nanoTime() - t0;
                    if (budget) { tb += dt; nb += n; } else { tp += dt; np += n; }
                }
            }
            plain[r] = tp / 1e9;
            budgeted[r] = tb / 1e9;
            plainMatches = np;
            budgetedMatches = nb;
        }
        if (plainMatches != budgetedMatches) throw new AssertionError("the two sides matched differently");
        double[] a = Arrays.copyOfRange(plain, passes / 2, passes), b = Arrays.copyOfRange(budgeted, passes / 2, passes);
        Arrays.sort(a);
        Arrays.sort(b);
        double ma = a[a.length / 2], mbud = b[b.length / 2];
        System.out.printf("%s: %.1f MB; plain s/pass %s; budgeted s/pass %s%n", json.getParent().getFileName(), mb,
                Arrays.toString(Arrays.stream(plain).map(x -> Math.round(x * 1000) / 1000.0).toArray()),
                Arrays.toString(Arrays.stream(budgeted).map(x -> Math.round(x * 1000) / 1000.0).toArray()));
        System.out.printf("median of last %d: plain %.1f MB/s, budgeted %.1f MB/s (wall time, alternating blocks): budgeted/plain time %.3f%n",
                a.length, mb / ma, mb / mbud, mbud / ma);
    }
}
