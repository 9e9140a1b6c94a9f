package dev.drllm.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Trains one router per layer on cached teacher-forced features ({@link FeatureSet}).
 *
 * <p>A step takes {@code batchSize} questions; router l sees the features of layer l of each and
 * minimises the focal loss (mean over the batch) against the labels of layer l. The routers share
 * no parameters, so each one has its own AdamW state and all follow the same schedule and the
 * same shuffled question order; they are trained in parallel, one thread per router, which cannot
 * change the result (no router reads another's state), so a seed fixes the outcome.
 *
 * <p>Class weights come from the label counts of the training questions only (all layers pooled).
 */
public final class RouterTrainer {
    /** Metrics after one epoch: the training loss (mean over steps and layers) and held-out quality. */
    public record EpochReport(int epoch, double trainLoss, double lr, RouterMetrics train, RouterMetrics heldOut) {}

    public record Result(List<TrainableRouter> routers, float[] classWeights, long[] classCounts, List<EpochReport> history,
                         int bestEpoch, int[] trainIndices, int[] heldOutIndices) {}

    private final TrainConfig cfg;

    public RouterTrainer(TrainConfig cfg) {
        this.cfg = cfg;
    }

    public Result train(FeatureSet data, Consumer<EpochReport> onEpoch) {
        int n = data.size();
        if (n == 0) throw new IllegalArgumentException("no labelled questions to train on");
        int[][] split = split(n, cfg.heldOut(), cfg.seed());
        int[] trainIdx = split[0], heldIdx = split[1];
        int L = data.numLayers(), H = data.hidden();

        long[] counts = new long[FocalLoss.CLASSES];
        for (int q : trainIdx) for (int c : data.labels()[q]) counts[c]++;
        float[] weights = FocalLoss.effectiveNumberWeights(counts, cfg.beta());
        FocalLoss loss = new FocalLoss(cfg.gamma(), weights);

        Random init = new Random(cfg.seed());
        List<TrainableRouter> routers = new ArrayList<>();
        for (int l = 0; l < L; l++) routers.add(TrainableRouter.init(H, cfg.routerHidden(), init));
        List<AdamW> opts = new ArrayList<>();
        for (TrainableRouter r : routers) opts.add(new AdamW(r.params(), cfg.weightDecay()));

        int stepsPerEpoch = (trainIdx.length + cfg.batchSize() - 1) / cfg.batchSize();
        LrSchedule schedule = new LrSchedule(cfg.lr(), cfg.warmupSteps(), Math.max(1, stepsPerEpoch * cfg.epochs()));
        Random shuffle = new Random(cfg.seed() ^ 0x5DEECE66DL);
        List<EpochReport> history = new ArrayList<>();
        List<TrainableRouter> best = null;
        int bestEpoch = -1;
        double bestF1 = -1;
        int threads = Math.max(1, Math.min(L, Runtime.getRuntime().availableProcessors()));
        try (ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "router-trainer");
            t.setDaemon(true);
            return t;
        })) {
            for (int epoch = 1; epoch <= cfg.epochs(); epoch++) {
                int[] order = trainIdx.clone();
                shuffle(order, shuffle);
                int firstStep = (epoch - 1) * stepsPerEpoch;
                double[] layerLoss = new double[L];
                List<Future<?>> jobs = new ArrayList<>();
                for (int l = 0; l < L; l++) {
                    int layer = l;
                    jobs.add(pool.submit(() -> layerLoss[layer] = trainEpoch(data, layer, routers.get(layer), opts.get(layer), loss, order, schedule, firstStep)));
                }
                join(jobs);
                double trainLoss = Arrays.stream(layerLoss).sum() / L / stepsPerEpoch;
                RouterMetrics trainM = evaluate(data, routers, loss, trainIdx, pool);
                RouterMetrics heldM = heldIdx.length == 0 ? null : evaluate(data, routers, loss, heldIdx, pool);
                EpochReport rep = new EpochReport(epoch, trainLoss, schedule.at(firstStep + stepsPerEpoch - 1), trainM, heldM);
                history.add(rep);
                if (onEpoch != null) onEpoch.accept(rep);
                double f1 = heldM != null ? heldM.macroF1() : trainM.macroF1();
                if (cfg.selectBest() && f1 > bestF1) {
                    bestF1 = f1;
                    bestEpoch = epoch;
                    best = routers.stream().map(TrainableRouter::copy).toList();
                }
            }
        }
        if (!cfg.selectBest()) {
            best = routers;
            bestEpoch = cfg.epochs();
        }
        return new Result(best, weights, counts, history, bestEpoch, trainIdx, heldIdx);
    }

    /** One epoch of router {@code layer}; returns the sum of its batch losses. */
    private double trainEpoch(FeatureSet data, int layer, TrainableRouter r, AdamW opt, FocalLoss loss, int[] order,
                              LrSchedule schedule, int firstStep) {
        TrainableRouter.Gradients g = new TrainableRouter.Gradients(r);
        int B = cfg.batchSize();
        float[] logits = new float[B * 3], dLogits = new float[B * 3];
        int[] targets = new int[B];
        float[][] kept = new float[B][data.windowsCap() * r.inner()];
        double sum = 0;
        int step = firstStep;
        for (int start = 0; start < order.length; start += B, step++) {
            int b = Math.min(B, order.length - start);
            g.zero();
            for (int i = 0; i < b; i++) {
                int q = order[start + i];
                int nw = data.windows()[q];
                if (kept[i].length < nw * r.inner()) kept[i] = new float[nw * r.inner()];
                r.forward(data.features().get(q), layer * nw * data.hidden(), nw, logits, i * 3, g, kept[i]);
                targets[i] = data.labels()[q][layer];
            }
            sum += loss.lossAndGrad(logits, targets, b, dLogits);
            for (int i = 0; i < b; i++) {
                int q = order[start + i];
                int nw = data.windows()[q];
                r.backward(data.features().get(q), layer * nw * data.hidden(), nw, dLogits, i * 3, g, kept[i]);
            }
            opt.step(r.params(), g.params(), schedule.at(step));
        }
        return sum;
    }

    /** Predictions (argmax of the averaged logits) and the mean focal loss over {@code idx}. */
    public static RouterMetrics evaluate(FeatureSet data, List<TrainableRouter> routers, FocalLoss loss, int[] idx, ExecutorService pool) {
        int L = data.numLayers();
        int[][] labels = new int[idx.length][];
        int[][] pred = new int[idx.length][L];
        double[] layerLoss = new double[L];
        List<Future<?>> jobs = new ArrayList<>();
        for (int l = 0; l < L; l++) {
            int layer = l;
            Runnable job = () -> {
                TrainableRouter r = routers.get(layer);
                TrainableRouter.Gradients s = new TrainableRouter.Gradients(r);
                float[] logits = new float[idx.length * 3];
                int[] t = new int[idx.length];
                for (int i = 0; i < idx.length; i++) {
                    int q = idx[i];
                    int nw = data.windows()[q];
                    r.forward(data.features().get(q), layer * nw * data.hidden(), nw, logits, i * 3, s);
                    t[i] = data.labels()[q][layer];
                    pred[i][layer] = argmax(logits, i * 3);
                }
                layerLoss[layer] = idx.length == 0 ? 0 : loss.lossAndGrad(logits, t, idx.length, null);
            };
            if (pool == null) job.run();
            else jobs.add(pool.submit(job));
        }
        join(jobs);
        for (int i = 0; i < idx.length; i++) labels[i] = data.labels()[idx[i]];
        return RouterMetrics.of(labels, pred, Arrays.stream(layerLoss).sum() / L);
    }

    static int argmax(float[] v, int off) {
        int best = 0;
        for (int c = 1; c < 3; c++) if (v[off + c] > v[off + best]) best = c;
        return best;
    }

    /** A seeded shuffle of 0..n−1; the last {@code round(n·heldOut)} questions are held out. */
    static int[][] split(int n, double heldOut, long seed) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        shuffle(all, new Random(seed));
        int h = (int) Math.round(n * heldOut);
        if (h >= n) h = n - 1;
        int[] train = Arrays.copyOfRange(all, 0, n - h);
        int[] held = Arrays.copyOfRange(all, n - h, n);
        Arrays.sort(train);
        Arrays.sort(held);
        return new int[][]{train, held};
    }

    private static void shuffle(int[] a, Random rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static void join(List<Future<?>> jobs) {
        for (Future<?> f : jobs) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) throw re;
                throw new IllegalStateException(e.getCause());
            }
        }
    }
}
