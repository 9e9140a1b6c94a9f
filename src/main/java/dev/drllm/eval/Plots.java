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
        for (RunSummary r : runs) {
            XYSeries s = chart.addSeries(r.name(), new double[]{r.avgLayerExecutions()}, new double[]{100 * r.accuracy()});
            s.setMarker(SeriesMarkers.CIRCLE);
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
        int[] xs = new int[q], ys = new int[L];
        for (int i = 0; i < q; i++) xs[i] = i;
        for (int l = 0; l < L; l++) ys[l] = l;
        int[][] z = new int[q][L];
        for (int i = 0; i < q; i++) z[i] = decisions[i].clone();
        HeatMapChart chart = new HeatMapChartBuilder().width(Math.min(2400, 300 + 4 * q)).height(200 + 24 * L).title(title)
                .xAxisTitle("question").yAxisTitle("layer").build();
        chart.getStyler().setRangeColors(new Color[]{new Color(0xd7301f), new Color(0xf0f0f0), new Color(0x2171b5)});
        chart.getStyler().setMin(0);
        chart.getStyler().setMax(2);
        chart.getStyler().setShowValue(false);
        chart.getStyler().setLegendVisible(true);
        chart.getStyler().setXAxisTicksVisible(q <= 40);
        chart.addSeries("0 skip · 1 execute · 2 repeat", xs, ys, z);
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
