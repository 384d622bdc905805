package dev.ambient.bench.report;

import dev.ambient.bench.Scenario;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The two charts beside report.md: added latency per mode, which the tables show only as numbers,
 * and node memory against pods per node, where the slope of each mode is what a table hides. Drawn
 * headless, since the bench runs on servers without a display.
 */
public final class PodCharts {

    private static final int WIDTH = 800;
    private static final int HEIGHT = 500;

    private PodCharts() {}

    /**
     * Writes {@code latency.png} when a mode other than direct was measured and {@code memory.png} when
     * memory scaling was, into {@code dir}; returns the files written.
     */
    public static List<Path> write(PodResults r, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        List<PodSummary> meshed = PodSummary.all(r).stream().filter(s -> s.scenario() != Scenario.POD_DIRECT)
                .toList();
        if (!meshed.isEmpty()) {
            written.add(save(latency(meshed), dir, PodMarkdown.LATENCY_CHART));
        }
        List<PodScaling> scaling = PodScaling.all(r);
        if (!scaling.isEmpty()) {
            written.add(save(memory(scaling), dir, PodMarkdown.MEMORY_CHART));
        }
        return written;
    }

    private static CategoryChart latency(List<PodSummary> meshed) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Latency added over direct (median of per-round differences)").xAxisTitle("mode")
                .yAxisTitle("added latency (µs)").build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(LegendPosition.OutsideE);
        List<String> modes = meshed.stream().map(s -> s.scenario().label()).toList();
        series(chart, "p50", modes, meshed, PodSummary::addedP50);
        series(chart, "p90", modes, meshed, PodSummary::addedP90);
        series(chart, "p99", modes, meshed, PodSummary::addedP99);
        series(chart, "p99.9", modes, meshed, PodSummary::addedP999);
        return chart;
    }

    /** One bar per mode; a value that was not measured leaves a gap rather than a bar of zero. */
    private static void series(CategoryChart chart, String name, List<String> modes, List<PodSummary> meshed,
            ToDoubleFunction<PodSummary> value) {
        List<Double> values = new ArrayList<>();
        for (PodSummary s : meshed) {
            double v = value.applyAsDouble(s);
            values.add(Double.isFinite(v) ? v : null);
        }
        chart.addSeries(name, modes, values);
    }

    private static XYChart memory(List<PodScaling> scaling) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Node memory of the mesh against pods per node").xAxisTitle("pods per node")
                .yAxisTitle("node PSS (MiB)").build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(LegendPosition.InsideNW);
        chart.getStyler().setYAxisMin(0.0);
        for (PodScaling s : scaling) {
            List<Integer> pods = new ArrayList<>();
            List<Double> mib = new ArrayList<>();
            s.pssMib().forEach((n, v) -> {
                if (Double.isFinite(v)) {
                    pods.add(n);
                    mib.add(v);
                }
            });
            if (pods.isEmpty()) {
                continue;
            }
            XYSeries series = chart.addSeries(s.mode().label(), pods, mib);
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            series.setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    private static void style(Styler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setLegendBorderColor(Color.LIGHT_GRAY);
        styler.setPlotBorderColor(Color.LIGHT_GRAY);
    }

    /** Saves {@code chart} as {@code dir/file}; the encoder appends the extension itself. */
    private static Path save(Chart<?, ?> chart, Path dir, String file) throws IOException {
        String name = file.substring(0, file.length() - ".png".length());
        BitmapEncoder.saveBitmap(chart, dir.resolve(name).toString(), BitmapFormat.PNG);
        return dir.resolve(file);
    }
}
