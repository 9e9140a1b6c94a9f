package dev.drllm.api;

import dev.drllm.cpu.CpuBackend;
import dev.drllm.cpu.CpuPool;
import dev.drllm.model.CheckpointException;
import dev.drllm.model.Model;
import dev.drllm.model.ModelConfig;
import dev.drllm.runtime.Backend;
import dev.drllm.runtime.Backends;
import dev.drllm.runtime.InvalidPathException;
import dev.drllm.runtime.LayerPath;
import dev.drllm.runtime.PathExecutor;
import dev.drllm.routing.RoutedPrefill;
import dev.drllm.routing.Routers;
import dev.drllm.tokenizer.Tokenizer;
import dev.drllm.tokenizer.TokenizerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The embedding API: a model loaded once, shared by any number of {@link Session sessions} on any
 * number of threads.
 * <pre>{@code
 * try (DrLlm llm = DrLlm.load(Path.of("models/drllm-tiny"));
 *      Session s = llm.openSession()) {
 *     GenerateResult r = s.generate(GenerateRequest.ofIds(15, 27, 3).withMaxNewTokens(16));
 *     System.out.println(Arrays.toString(r.ids()) + " via path " + Arrays.toString(r.executedPath()));
 * }
 * }</pre>
 * Closing releases the mapped weights, the worker threads and every KV cache; generations still
 * running are cancelled first (they end with {@code CANCELLED}) and closing waits for their
 * current execution slot to finish, so no thread ever touches unmapped memory.
 */
public final class DrLlm implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DrLlm.class);

    private final Model model;
    private final Backend backend;
    private final PathExecutor executor;
    private final LoadOptions options;
    private final int maxContext;
    private final MemoryBudget budget;
    private final Tokenizer tokenizer;
    private final Routers routers;
    /** Generations that hold a memory reservation; sessions themselves are not tracked, so an unclosed one costs nothing here. */
    private final Set<Generation> running = ConcurrentHashMap.newKeySet();
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private volatile boolean closing;
    private boolean closed;

    private DrLlm(Model model, Backend backend, LoadOptions options, Tokenizer tokenizer, Routers routers) {
        this.model = model;
        this.backend = backend;
        this.executor = new PathExecutor(backend);
        this.options = options;
        this.maxContext = Math.min(options.limits().maxContextTokens(), model.config().maxPositions());
        this.budget = new MemoryBudget(options.limits().memoryBudgetBytes(), backend);
        this.tokenizer = tokenizer;
        this.routers = routers;
    }

    /** Loads a Hugging Face checkpoint directory with {@link LoadOptions#defaults()}. */
    public static DrLlm load(Path modelDir) {
        return load(modelDir, null, LoadOptions.defaults());
    }

    /** As {@link #load(Path, Path, LoadOptions)} with the routers found in the model directory, if any. */
    public static DrLlm load(Path modelDir, LoadOptions options) {
        return load(modelDir, null, options);
    }

    /**
     * Loads a Hugging Face checkpoint directory (config.json, safetensors, optional index and
     * generation_config.json) or a GGUF file, its tokenizer ({@code tokenizer.json}; for a GGUF file
     * the one beside it, else the file's own), and Dr.LLM routers. The weights are memory-mapped,
     * not copied (unless {@link LoadOptions#quantize()} asks for quantized copies).
     *
     * @param routers a routers safetensors file (or a checkpoint directory holding
     *                {@code model.routers.*}); null = {@code modelDir/routers.safetensors} when present,
     *                else no routers (requests then run every layer)
     * @throws ModelLoadException      the directory, a config, a tensor, the tokenizer or the routers are
     *                                 unusable (names the file and the tensor or component)
     * @throws InvalidRequestException    an option is invalid (unknown device)
     * @throws DeviceUnavailableException {@code cuda} was asked for and cannot run here
     */
    public static DrLlm load(Path modelDir, Path routers, LoadOptions options) {
        if (modelDir == null) throw new InvalidRequestException("model directory must not be null");
        LoadOptions opts = options == null ? LoadOptions.defaults() : options;
        long t0 = System.nanoTime();
        Model model;
        try {
            model = Model.load(modelDir);
            if (opts.quantize() != null) {
                Model plain = model;
                try {
                    model = dev.drllm.quant.LoadQuantizer.quantize(plain, dev.drllm.quant.LoadQuantizer.parse(opts.quantize()));
                } catch (RuntimeException | Error e) {
                    plain.close();
                    throw e;
                }
            }
        } catch (CheckpointException e) {
            throw loadError(e);
        }
        Backend backend = null;
        try {
            WeightScan.check(model.weights(), opts.weightCheck());
            Tokenizer tok = loadTokenizer(modelDir);
            Routers r = loadRouters(modelDir, routers, model.config());
            backend = openBackend(model, opts);
            DrLlm llm = new DrLlm(model, backend, opts, tok, r);
            LOG.atInfo().setMessage("model loaded")
                    .addKeyValue("dir", modelDir)
                    .addKeyValue("architecture", model.config().architecture())
                    .addKeyValue("layers", model.config().numLayers())
                    .addKeyValue("device", backend.name())
                    .addKeyValue("tokenizer", tok != null)
                    .addKeyValue("routers", r != null)
                    .addKeyValue("maxContext", llm.maxContext)
                    .addKeyValue("memoryBudgetBytes", opts.limits().memoryBudgetBytes())
                    .addKeyValue("ms", Math.round((System.nanoTime() - t0) / 1e6))
                    .log();
            return llm;
        } catch (CheckpointException e) {
            closeQuietly(backend, model);
            throw loadError(e);
        } catch (TokenizerException e) {
            closeQuietly(backend, model);
            throw new ModelLoadException(e.file(), e.component(), oneLine(e.getMessage()), e);
        } catch (RuntimeException | Error e) {
            closeQuietly(backend, model);
            throw e;
        }
    }

    private static Tokenizer loadTokenizer(Path dir) {
        return dev.drllm.gguf.GgufTokenizer.available(dir) ? dev.drllm.gguf.GgufTokenizer.forModel(dir) : null;
    }

    private static Routers loadRouters(Path dir, Path file, ModelConfig config) {
        Path f = Routers.resolve(dir, file);
        if (f == null) return null;
        try {
            return Routers.load(f, config);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(f, null, e.getMessage(), e);
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    /** Parser messages (Jackson's) can span lines; a user-facing error is one line. */
    private static ModelLoadException loadError(CheckpointException e) {
        String msg = e.getMessage() == null ? "unusable checkpoint" : oneLine(e.getMessage());
        return new ModelLoadException(e.file(), e.tensor(), msg, e);
    }

    private static Backend openBackend(Model model, LoadOptions opts) {
        if (opts.device().equals("cpu")) return new CpuBackend(model, cpuThreads(opts.threads(), model.dir()));
        try {
            return Backends.open(model, opts.device());
        } catch (dev.drllm.cuda.CudaUnavailableException e) {
            throw new DeviceUnavailableException(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage(), e);
        }
    }

    /**
     * The CPU worker count: the one asked for ({@link LoadOptions#threads()}, else
     * {@code -Ddrllm.threads}, else one per core), capped at the cores this JVM may use. Each of
     * the ~10 parallel loops of a block waits for every worker that joined it, so workers beyond
     * the cores only take turns on them: the same tokens, many times slower (README "Embedding API").
     */
    static int cpuThreads(int requested, Path dir) {
        int cores = Runtime.getRuntime().availableProcessors();
        int want = requested > 0 ? requested : CpuPool.defaultThreads();
        if (want <= cores) return want;
        LOG.atWarn().setMessage("CPU threads capped at the core count: more workers than cores produce the same tokens far slower")
                .addKeyValue("dir", dir)
                .addKeyValue("requested", want)
                .addKeyValue("cores", cores)
                .log();
        return cores;
    }

    private static void closeQuietly(Backend backend, Model model) {
        try {
            if (backend != null) backend.close();
        } finally {
            model.close();
        }
    }

    /** {@link #warmUp(java.time.Duration)} with a one-minute timeout. */
    public WarmUp warmUp() {
        return warmUp(java.time.Duration.ofMinutes(1));
    }

    /**
     * Gets this model's hot code compiled before it serves traffic: call it once after
     * {@link #load}, before taking requests. A fresh JVM runs the CPU kernels on scalar twins until
     * C2 has compiled their Vector API bodies (a background thread drives that within seconds,
     * {@code dev.drllm.cpu.KernelWarmup}); this waits for that switch, then runs a few real
     * generations on the loaded model (a 32-token prompt of arbitrary ids, greedy, every layer and,
     * with routers, routed) until one takes no longer than the one before, so the first requests
     * find the model's own shapes, the decode loop and the sampler compiled. Outputs never depend on
     * it: the kernels give the same bits before and after. Safe to call while sessions run (it uses
     * its own; its memory counts against the budget like any request).
     *
     * @param timeout the most it may take; the report says when it ran out first
     * @throws EngineClosedException the model is closed
     */
    public WarmUp warmUp(java.time.Duration timeout) {
        if (closing) throw new EngineClosedException("model " + model.dir() + " is closed");
        long t0 = System.nanoTime(), deadline = t0 + timeout.toNanos();
        boolean vector = true;
        if (backend instanceof CpuBackend) {
            try {
                vector = dev.drllm.cpu.KernelWarmup.awaitVector(timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new WarmUp(dev.drllm.cpu.CpuKernels.vectorInUse(), (System.nanoTime() - t0) / 1e6, 0, 0, 0, (System.nanoTime() - t0) / 1e6, false);
            }
        }
        double kernelMs = (System.nanoTime() - t0) / 1e6;
        ModelConfig c = model.config();
        int maxNew = Math.max(1, Math.min(8, options.limits().maxNewTokens()));
        int promptLen = Math.max(1, Math.min(32, maxContext - maxNew));
        int[] prompt = new int[promptLen];
        for (int i = 0; i < promptLen; i++) prompt[i] = (int) ((i * 2654435761L + 17) % c.vocabSize());
        List<RoutingPolicy> policies = routers != null ? List.of(RoutingPolicy.allLayers(), RoutingPolicy.auto()) : List.of(RoutingPolicy.allLayers());
        int passes = 0;
        double first = 0, last = 0, previous = Double.MAX_VALUE;
        boolean settled = false;
        while (System.nanoTime() < deadline && passes < 12) {
            long p0 = System.nanoTime();
            for (RoutingPolicy policy : policies) {
                generate(GenerateRequest.ofIds(prompt).withMaxNewTokens(maxNew).withSampling(Sampling.GREEDY).withRouting(policy)
                        .withStopTokens(Set.of()));
            }
            double ms = (System.nanoTime() - p0) / 1e6;
            if (passes++ == 0) first = ms;
            last = ms;
            // settled once a pass is no slower than the one before (compiled code; timer noise aside)
            if (passes >= 3 && ms <= previous * 1.1) {
                settled = true;
                break;
            }
            previous = ms;
        }
        WarmUp w = new WarmUp(vector, kernelMs, passes, first, last, (System.nanoTime() - t0) / 1e6, settled && vector);
        LOG.atInfo().setMessage("warmed up").addKeyValue("dir", model.dir()).addKeyValue("vectorKernels", vector)
                .addKeyValue("kernelMs", Math.round(kernelMs)).addKeyValue("passes", passes).addKeyValue("lastPassMs", Math.round(last))
                .addKeyValue("ms", Math.round(w.totalMs())).log();
        return w;
    }

    /** A new session; cheap, close it when done. */
    public Session openSession() {
        if (closing) throw new EngineClosedException("model " + model.dir() + " is closed");
        return new Session(this);
    }

    /** One generation in a throw-away session. */
    public GenerateResult generate(GenerateRequest request) {
        try (Session s = openSession()) {
            return s.generate(request);
        }
    }

    public ModelInfo info() {
        ModelConfig c = model.config();
        return new ModelInfo(model.dir(), c.architecture().name().toLowerCase(java.util.Locale.ROOT), c.numLayers(), c.hiddenSize(),
                c.vocabSize(), maxContext, backend.name(), tokenizer != null, routers != null);
    }

    public Limits limits() { return options.limits(); }

    /**
     * Bytes of the memory budget ({@link Limits#memoryBudgetBytes()}) that running generations
     * hold right now: each holds an upper bound of its KV cache, activations, scratch, logits,
     * sampling buffers and ids from before its first allocation until it ends. 0 when none runs.
     * Caches kept for reuse between requests are not included: see {@link #memoryIdle()}.
     */
    public long memoryInUse() { return budget.used(); }

    /**
     * Bytes of the memory budget that finished generations' KV caches and scratch hold while they
     * wait to be reused by the next request that fits (on the CPU, up to 8 of them; a service's
     * requests then allocate no cache after warm-up). They never cost a request its room: one that
     * does not fit beside them evicts them first. The collector may drop them under memory
     * pressure, and {@link #close()} releases them.
     */
    public long memoryIdle() { return budget.idle(); }

    /**
     * Validates a request against the model and the limits, reserves its KV memory and returns the
     * generation, ready to run. Everything that can be refused is refused here, before any work.
     */
    Generation start(Session session, GenerateRequest r) {
        long t0 = System.nanoTime();
        if (closing) throw new EngineClosedException("model " + model.dir() + " is closed");
        ModelConfig c = model.config();
        int maxNew = r.maxNewTokens();
        if (maxNew > options.limits().maxNewTokens()) {
            throw new LimitExceededException(LimitExceededException.Limit.NEW_TOKENS, maxNew, options.limits().maxNewTokens(),
                    maxNew + " new tokens requested, the limit is " + options.limits().maxNewTokens());
        }
        // text is encoded only up to the room the context leaves (one id past it proves the prompt too long)
        int room = Math.max(0, maxContext - maxNew);
        int[] prompt = switch (r.prompt()) {
            case GenerateRequest.Prompt.Ids ids -> ids.ids();
            case GenerateRequest.Prompt.Text text -> requireTokenizer("text prompts").encode(text.text(), false, room);
            case GenerateRequest.Prompt.Chat chat -> {
                Tokenizer tok = requireTokenizer("chat prompts");
                if (!tok.hasChatTemplate()) throw new InvalidRequestException("the tokenizer of " + model.dir() + " has no chat template");
                try {
                    yield tok.encode(tok.renderChat(chat.messages(), true, null), false, room);
                } catch (TokenizerException e) {
                    throw new InvalidRequestException("chat template failed: " + oneLine(e.getMessage()), e);
                }
            }
        };
        if (prompt.length == 0) throw new InvalidRequestException("empty prompt: at least one token is needed");
        long needed = (long) prompt.length + maxNew;
        if (needed > maxContext) {
            boolean partial = !(r.prompt() instanceof GenerateRequest.Prompt.Ids);
            throw new LimitExceededException(LimitExceededException.Limit.CONTEXT, needed, maxContext,
                    "prompt of " + (partial ? "more than " + room : prompt.length) + " tokens + " + maxNew
                            + " new tokens exceeds the context limit of " + maxContext + " tokens"
                            + (partial ? " (the text was tokenized only that far)" : ""));
        }
        for (int i = 0; i < prompt.length; i++) {
            if (prompt[i] < 0 || prompt[i] >= c.vocabSize()) {
                throw new InvalidRequestException("prompt token " + prompt[i] + " at index " + i + " is outside the vocabulary 0.."
                        + (c.vocabSize() - 1));
            }
        }
        LayerPath path = null;
        RoutedPrefill routed = null;
        try {
            switch (r.routing()) {
                case RoutingPolicy.Auto a -> {
                    if (routers != null) routed = new RoutedPrefill(routers, dev.drllm.routing.DecisionRule.argmax());
                    else path = LayerPath.full(c.numLayers());
                }
                case RoutingPolicy.AllLayers a -> path = LayerPath.full(c.numLayers());
                case RoutingPolicy.FixedPath p -> path = LayerPath.of(c.numLayers(), p.layers()); // never empty (FixedPath refuses that)
                case RoutingPolicy.Routed p -> {
                    if (routers == null) {
                        throw new InvalidRequestException("routed generation needs routers; load them with DrLlm.load(dir, routers, options)");
                    }
                    routed = new RoutedPrefill(routers, new dev.drllm.routing.DecisionRule(false, p.skipBias(), p.repeatBias(), p.maxPath()));
                }
            }
        } catch (InvalidPathException e) {
            throw new InvalidRequestException("invalid layer path: " + e.getMessage(), e);
        }
        Set<Integer> stops = r.stopTokens() != null ? r.stopTokens() : model.stopTokens();
        if (r.stopTokens() != null) {
            for (int t : stops) {
                if (t < 0 || t >= c.vocabSize()) {
                    throw new InvalidRequestException("stop token " + t + " is outside the vocabulary 0.." + (c.vocabSize() - 1)
                            + ": it could never be generated");
                }
            }
        }
        Generation g = new Generation(this, session, prompt, maxNew, stops, path, routed, r.sampling(), t0);
        try {
            running.add(g);
        } catch (Throwable e) { // OutOfMemoryError in the set's node: the reservation must not stay counted
            g.close();
            throw e;
        }
        if (closing) g.cancel(); // close() may have swept the set just before the add
        return g;
    }

    private Tokenizer requireTokenizer(String what) {
        if (tokenizer == null) {
            throw new InvalidRequestException(what + " need a tokenizer and " + model.dir() + " has no tokenizer.json; give token ids");
        }
        return tokenizer;
    }

    /** The model's tokenizer, or null when its directory has none. */
    public Tokenizer tokenizer() { return tokenizer; }

    /** Enters one compute step; false once the model is closing (the step must not run). */
    boolean enter() {
        lifecycle.readLock().lock();
        if (closing) {
            lifecycle.readLock().unlock();
            return false;
        }
        return true;
    }

    void exit() { lifecycle.readLock().unlock(); }

    boolean isClosing() { return closing; }

    void ended(Generation g) { running.remove(g); }

    Backend backend() { return backend; }

    PathExecutor executor() { return executor; }

    ModelConfig config() { return model.config(); }

    MemoryBudget budget() { return budget; }


    /**
     * Cancels running generations, waits for their current step, then releases the backend (worker
     * threads, device memory) and unmaps the weights. Idempotent.
     */
    @Override
    public void close() {
        closing = true;
        for (Generation g : running) g.cancel();
        lifecycle.writeLock().lock();
        try {
            if (closed) return;
            closed = true;
            budget.closeIdle();
            closeQuietly(backend, model);
            LOG.atDebug().setMessage("model closed").addKeyValue("dir", model.dir()).log();
        } finally {
            lifecycle.writeLock().unlock();
        }
    }
}
