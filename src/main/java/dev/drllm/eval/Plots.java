package dev.drllm.eval;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** PNG charts of an evaluation, drawn with XChart (headless AWT, no display needed). */
public final class Plots {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Plots() {}

    /** One point per configuration: accuracy (%) against layer executions per question. */
    public static void accuracyVsLayers(String title, List<RunSummary> runs, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(720).height(480).title(title)
                .xAxisTitle("layer executions per question (prefill + decode)").yAxisTitle("accuracy (%)").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(12);
        chart.getStyler().setYAxisDecimalPattern("0.0");
        chart.getStyler().setXAxisDecimalPattern("0.0");
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (RunSummary r : runs) {
            XYSeries s = chart.addSeries(r.name(), new double[]{r.avgLayerExecutions()}, new double[]{100 * r.accuracy()});
            s.setMarker(SeriesMarkers.CIRCLE);
            lo = Math.min(lo, 100 * r.accuracy());
            hi = Math.max(hi, 100 * r.accuracy());
        }
        if (lo <= hi) {
            // an explicit range with a margin: when every run ties, XChart's own range collapses to a single tick
            double pad = Math.max(2, 0.1 * (hi - lo));
            chart.getStyler().setYAxisMin(Math.max(0, lo - pad));
            chart.getStyler().setYAxisMax(Math.min(100, hi + pad));
        }
        save(chart, png);
    }

    /**
     * The executed run count of every layer (rows) for every question (columns): 0 skip, 1 execute,
     * 2 repeat. {@code decisions} is [questions][layers].
     */
    public static void decisionsHeatmap(String title, int[][] decisions, Path png) throws IOException {
        int q = decisions.length, L = q == 0 ? 0 : decisions[0].length;
        if (q == 0 || L == 0) throw new IllegalArgumentException("no decisions to plot");
        // one label every `step` questions (1, 2, 5, 10, 20, 50, ...): past ~20 labels they overlap. The
        // categories must stay distinct, so the unlabelled ones are runs of zero-width spaces.
        int step = 1;
        for (int k = 0; q / step > 20; k++) step = (k % 3 == 0 ? 2 : k % 3 == 1 ? 5 : 10) * (int) Math.pow(10, k / 3);
        List<String> xs = new ArrayList<>(q);
        for (int i = 0; i < q; i++) xs.add(i % step == 0 ? Integer.toString(i) : "\u200b".repeat(i % step));
        List<Integer> ys = new ArrayList<>(L);
        for (int l = 0; l < L; l++) ys.add(l);
        List<Number[]> z = new ArrayList<>(q * L);
        for (int i = 0; i < q; i++) for (int l = 0; l < L; l++) z.add(new Number[]{i, l, decisions[i][l]});
        HeatMapChart chart = new HeatMapChartBuilder().width(Math.min(2400, 300 + 4 * q)).height(200 + 24 * L).title(title)
                .xAxisTitle("question").yAxisTitle("layer").build();
        chart.getStyler().setRangeColors(new Color[]{new Color(0xd7301f), new Color(0xf0f0f0), new Color(0x2171b5)});
        // three pieces centred on the run counts 0, 1, 2, named in the legend
        chart.getStyler().setMin(-0.5);
        chart.getStyler().setMax(2.5);
        chart.getStyler().setPiecewise(true);
        chart.getStyler().setPiecewiseRanged(false);
        chart.getStyler().setSplitNumber(3);
        chart.getStyler().setHeatMapDecimalValueFormatter(v -> v <= 0 ? "skip" : v <= 1 ? "execute" : "repeat");
        chart.getStyler().setShowValue(false);
        chart.getStyler().setLegendVisible(true);
        chart.addSeries("decisions", xs, ys, z);
        save(chart, png);
    }

    private static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path png) throws IOException {
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        String name = png.toString();
        String base = name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
        BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
    }
}
