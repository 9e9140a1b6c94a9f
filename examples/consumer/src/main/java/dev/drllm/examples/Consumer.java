package dev.drllm.examples;

import dev.drllm.api.DrLlm;
import dev.drllm.api.GenerateRequest;
import dev.drllm.api.GenerateResult;
import dev.drllm.api.LoadOptions;
import dev.drllm.api.Session;
import dev.drllm.api.WarmUp;
import dev.drllm.kernels.Kernels;
import dev.drllm.kernels.Matrix;
import dev.drllm.kernels.WeightType;
import dev.drllm.kernels.Workspace;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.Random;

/**
 * What a latency-sensitive service does with drllm: load a model once, warm it up before taking
 * traffic, answer requests from sessions, and call a kernel directly. Exits 1 if anything is off.
 * Usage: Consumer MODEL_DIR
 */
public final class Consumer {
    public static void main(String[] args) throws Exception {
        Path model = Path.of(args.length > 0 ? args[0] : "models/drllm-tiny");
        long t0 = System.nanoTime();
        try (DrLlm llm = DrLlm.load(model, LoadOptions.defaults())) {
            System.out.printf("loaded %s in %.0f ms%n", llm.info().dir(), (System.nanoTime() - t0) / 1e6);
            // before traffic: compiled kernels and a few real passes on this model's shapes
            WarmUp w = llm.warmUp();
            System.out.println(w);
            try (Session s = llm.openSession()) {
                GenerateResult r = s.generate(GenerateRequest.ofText("Question: Which number is even?\n(A) 99\n(B) 67\n(C) 33\n(D) 88\nAnswer: ")
                        .withMaxNewTokens(4));
                System.out.printf("reply %s (%s), first token after %.1f ms, %.0f tok/s%n", r.text().strip(), r.stopReason(),
                        r.timings().prefillMs(), r.timings().decodeTokensPerSecond());
                if (r.generatedTokenCount() == 0) fail("no tokens generated");
            }
        }

        // a kernel on its own: y = x · Wᵀ for a bf16 matrix, checked against a plain loop
        Random rnd = new Random(1);
        int rows = 48, cols = 96, tokens = 3;
        float[] wf = new float[rows * cols], x = new float[tokens * cols], y = new float[tokens * rows];
        for (int i = 0; i < wf.length; i++) wf[i] = (float) rnd.nextGaussian() * 0.05f;
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        try (Arena arena = Arena.ofShared(); Workspace ws = Workspace.create(2)) {
            Kernels.warmUp(java.time.Duration.ofMinutes(1)); // compiled kernels first (results are the same either way)
            Matrix w = Matrix.encode(wf, rows, cols, WeightType.BF16, arena);
            Kernels.matmul(ws, w, x, tokens, y);
            double worst = 0;
            for (int t = 0; t < tokens; t++) {
                for (int o = 0; o < rows; o++) {
                    double ref = 0;
                    for (int c = 0; c < cols; c++) ref += (double) w.get(o, c) * x[t * cols + c];
                    worst = Math.max(worst, Math.abs(ref - y[t * rows + o]));
                }
            }
            System.out.printf("Kernels.matmul %d×%d bf16, %d tokens: max |error| %.2e vs a double loop (vector kernels: %s)%n",
                    rows, cols, tokens, worst, Kernels.vectorized());
            if (worst > 1e-4) fail("kernel result off by " + worst);
        }
        System.out.println("consumer OK");
    }

    private static void fail(String why) {
        System.err.println("consumer FAILED: " + why);
        System.exit(1);
    }
}
