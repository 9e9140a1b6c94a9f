package dev.drllm.train;

import dev.drllm.routing.WindowPooling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouterTrainerTest {
    /**
     * Synthetic features where the label of layer l is a function of the sign of feature l; mostly
     * "execute" with rare skips and repeats, like MCTS labels.
     */
    static FeatureSet synthetic(int n, int L, int H, long seed) {
        Random rnd = new Random(seed);
        List<String> ids = new ArrayList<>(), groups = new ArrayList<>();
        List<float[]> feats = new ArrayList<>();
        int[] windows = new int[n];
        int[][] labels = new int[n][L];
        for (int q = 0; q < n; q++) {
            int nw = 1 + rnd.nextInt(4);
            windows[q] = nw;
            float[] f = new float[L * nw * H];
            for (int l = 0; l < L; l++) {
                double u = rnd.nextDouble();
                int label = u < 0.1 ? 0 : u < 0.2 ? 2 : 1;
                labels[q][l] = label;
                for (int w = 0; w < nw; w++) {
                    for (int i = 0; i < H; i++) f[(l * nw + w) * H + i] = (float) rnd.nextGaussian() * 0.5f;
                    f[(l * nw + w) * H] += label == 0 ? -2 : label == 2 ? 2 : 0;
                    f[(l * nw + w) * H + 1] += label == 1 ? 2 : 0;
                }
            }
            ids.add("q" + q);
            groups.add(q % 2 == 0 ? "arc" : "dart");
            feats.add(f);
        }
        return new FeatureSet(L, H, 4, ids, groups, feats, windows, labels);
    }

    static TrainConfig quick(long seed) {
        return new TrainConfig(8, 3e-3, 0.01, 20, 16, 2, 0.999, 0.2, seed, 16, false);
    }

    @Test
    void learnsASeparableProblemAndReportsEveryEpoch() {
        FeatureSet data = synthetic(300, 3, 8, 1);
        List<RouterTrainer.EpochReport> seen = new ArrayList<>();
        RouterTrainer.Result res = new RouterTrainer(quick(5)).train(data, seen::add);
        assertEquals(8, seen.size());
        RouterMetrics last = seen.get(7).heldOut();
        assertEquals(60 * 3, last.total());
        assertTrue(last.macroF1() > 0.9, "held-out macro-F1 " + last.macroF1());
        assertTrue(seen.get(7).trainLoss() < seen.get(0).trainLoss());
        assertEquals(3.0, res.classWeights()[0] + res.classWeights()[1] + res.classWeights()[2], 1e-5);
        long total = res.classCounts()[0] + res.classCounts()[1] + res.classCounts()[2];
        assertEquals(240 * 3, total);
    }

    /**
     * The one router MLP: routers trained here, saved and loaded back as inference routers give the
     * very logits the trainer computed (bit for bit, since both run {@code Router.logits}), on the
     * windows the inference pooling cuts from a prompt's hidden states.
     */
    @Test
    void trainedAndInferenceRoutersGiveTheSameLogits(@TempDir Path tmp) throws Exception {
        dev.drllm.model.ModelConfig c = dev.drllm.model.ModelConfig.load(dev.drllm.Fixtures.tinyModel().resolve("config.json"));
        int L = c.numLayers(), H = c.hiddenSize();
        FeatureSet data = synthetic(40, L, H, 3);
        RouterTrainer.Result res = new RouterTrainer(new TrainConfig(2, 3e-3, 0.01, 5, 8, 2, 0.999, 0.2, 4, 16, false)).train(data, null);
        List<dev.drllm.routing.Router> trained = new ArrayList<>();
        for (TrainableRouter r : res.routers()) trained.add(r.router());
        Path file = tmp.resolve("routers.safetensors");
        new dev.drllm.routing.Routers(trained, 4).save(file, dev.drllm.model.DType.F32);
        dev.drllm.routing.Routers loaded = dev.drllm.routing.Routers.load(file, c);
        WindowPooling pooling = loaded.pooling();
        Random rnd = new Random(8);
        for (int tokens : new int[]{1, 3, 4, 11}) {
            float[] hiddenStates = new float[tokens * H];
            for (int i = 0; i < hiddenStates.length; i++) hiddenStates[i] = (float) rnd.nextGaussian();
            float[] means = pooling.windowMeans(hiddenStates, tokens, H);
            int nw = pooling.windowCount(tokens);
            for (int l = 0; l < L; l++) {
                TrainableRouter t = res.routers().get(l);
                float[] fromTrainer = new float[3];
                t.forward(means, 0, nw, fromTrainer, 0, new TrainableRouter.Gradients(t));
                assertArrayEquals(fromTrainer, pooling.logits(loaded.get(l), hiddenStates, tokens), tokens + " tokens, layer " + l);
            }
        }
    }

    @Test
    void sameSeedSameRouters() {
        FeatureSet data = synthetic(80, 4, 8, 2);
        RouterTrainer.Result a = new RouterTrainer(quick(9)).train(data, null);
        RouterTrainer.Result b = new RouterTrainer(quick(9)).train(data, null);
        RouterTrainer.Result c = new RouterTrainer(quick(10)).train(data, null);
        for (int l = 0; l < 4; l++) {
            assertArrayEquals(a.routers().get(l).w1(), b.routers().get(l).w1());
            assertArrayEquals(a.routers().get(l).b2(), b.routers().get(l).b2());
        }
        assertTrue(!java.util.Arrays.equals(a.routers().get(0).w1(), c.routers().get(0).w1()));
    }

    @Test
    void heldOutSplitIsDisjointAndSeeded() {
        int[][] s = RouterTrainer.split(100, 0.1, 3);
        assertEquals(90, s[0].length);
        assertEquals(10, s[1].length);
        java.util.Set<Integer> all = new java.util.HashSet<>();
        for (int i : s[0]) all.add(i);
        for (int i : s[1]) assertTrue(all.add(i));
        assertArrayEquals(s[1], RouterTrainer.split(100, 0.1, 3)[1]);
    }

    @Test
    void metrics() {
        int[][] labels = {{0, 1, 1, 2}, {1, 1, 1, 1}};
        int[][] pred = {{0, 1, 2, 1}, {1, 1, 1, 0}};
        RouterMetrics m = RouterMetrics.of(labels, pred, 0.5);
        assertEquals(5 / 8.0, m.accuracy(), 1e-12);
        assertEquals(1.0, m.skipAccuracy(), 1e-12);
        assertEquals(0.0, m.repeatAccuracy(), 1e-12);
        // skip: p=1/2 r=1 → 2/3; execute: p=4/5 r=4/6 → 8/11; repeat: 0.
        assertEquals((2 / 3.0 + 8 / 11.0 + 0) / 3, m.macroF1(), 1e-12);
        assertEquals((4 + 4) / 2.0, m.avgLabelPathLength(), 1e-12);
        assertEquals((4 + 3) / 2.0, m.avgPredictedPathLength(), 1e-12);
    }

    @Test
    void featureCacheRoundTrips(@TempDir Path dir) throws Exception {
        FeatureSet data = synthetic(5, 2, 4, 4);
        Path f = dir.resolve("features.safetensors");
        data.write(f, "k");
        try (var sf = dev.drllm.model.SafetensorsFile.open(f)) {
            FeatureSet back = FeatureSet.read(sf, 2, 4, 4);
            assertEquals(data.ids(), back.ids());
            assertEquals(data.groups(), back.groups());
            assertArrayEquals(data.windows(), back.windows());
            for (int i = 0; i < 5; i++) {
                assertArrayEquals(data.features().get(i), back.features().get(i));
                assertArrayEquals(data.labels()[i], back.labels()[i]);
            }
        }
        assertEquals(WindowPooling.DEFAULT_WINDOWS, 8);
    }
}
