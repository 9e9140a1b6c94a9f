package dev.drllm.cli;

import dev.drllm.cuda.CudaBench;
import dev.drllm.cuda.CudaRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code drllm bench}: GPU decode / prefill benchmark on a random-weight checkpoint of a known shape. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Write a random-weight HF checkpoint of a model shape and time prefill, graph decode, routing and the HBM roofline.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--device", defaultValue = "cuda", description = "cuda (the benchmark times the GPU decode graphs)") String device;
    @Option(names = "--shape", defaultValue = "tiny", description = "llama-3.2-1b, llama-3.2-3b or tiny (default ${DEFAULT-VALUE})") String shape;
    @Option(names = "--dir", description = "checkpoint directory (default: /tmp/drllm-bench/SHAPE; reused when complete)") Path dir;
    @Option(names = "--batch", defaultValue = "1", description = "sequences decoded together, 1..64 (default ${DEFAULT-VALUE})") int batch;
    @Option(names = "--prompt", defaultValue = "512", description = "prompt tokens (default ${DEFAULT-VALUE})") int prompt;
    @Option(names = "--new", defaultValue = "128", description = "new tokens (default ${DEFAULT-VALUE})") int newTokens;
    @Option(names = "--path", description = "a layer path to time besides the full one") String path;
    @Option(names = "--skip", defaultValue = "0", description = "time a path skipping N middle layers besides the full one") int skip;
    @Option(names = "--routers", description = "routers.safetensors, or 'random' for random routers (router overhead)") String routers;
    @Option(names = "--seed", defaultValue = "1", description = "weights / prompt seed") long seed;

    @Override
    public Integer call() throws Exception {
        if (!device.equalsIgnoreCase("cuda")) throw new UserException("bench times the CUDA decode graphs: use --device cuda");
        CudaRuntime.require();
        if (batch < 1 || batch > 64) throw new UserException("--batch must be 1..64");
        if (prompt < 1 || newTokens < 2) throw new UserException("--prompt must be >= 1 and --new >= 2");
        if (path != null && skip > 0) throw new UserException("give --path or --skip, not both");
        Path d = dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"), "drllm-bench", shape);
        boolean random = "random".equals(routers);
        CudaBench.run(new CudaBench.Options(shape, d, batch, prompt, newTokens, path, skip, random || routers == null ? null : Path.of(routers),
                random, seed), System.out);
        return 0;
    }
}
