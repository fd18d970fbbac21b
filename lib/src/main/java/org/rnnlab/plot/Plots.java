package org.rnnlab.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.stream.IntStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.rnnlab.eval.BinaryReport;
import org.rnnlab.train.History;

/** XChart charts of training and evaluation results, returned as images that a notebook cell shows inline. */
public final class Plots {

    private static final int W = 480;
    private static final int H = 340;

    private Plots() {}

    /** Training curves: loss (left) and the metric (right), training against validation, per epoch. */
    public static BufferedImage history(History history) {
        if (history == null || history.isEmpty()) {
            return message("No training history yet: train the model first.");
        }
        double[] epochs =
                IntStream.rangeClosed(1, history.epochCount()).asDoubleStream().toArray();
        XYChart loss = curves("Loss", "loss", history, "loss", epochs);
        String metric = history.metricName();
        if (metric == null) {
            return image(loss);
        }
        return sideBySide(image(loss), image(curves(metricTitle(metric), metric, history, metric, epochs)));
    }

    /** Tick labels of a value axis: at most 4 decimals (XChart otherwise prints the data's own 15 when it has few points). */
    static final String VALUE_PATTERN = "#,##0.####";

    /** A metric's name as a chart title: "Accuracy", "MAE". */
    static String metricTitle(String metric) {
        return metric.length() <= 3
                ? metric.toUpperCase()
                : metric.substring(0, 1).toUpperCase() + metric.substring(1);
    }

    /**
     * A live version of {@link #history} for {@code trainer.callbacks(...)}: the curves appear in the
     * training cell and are redrawn after every epoch while training runs.
     */
    public static LiveHistory liveHistory() {
        return new LiveHistory();
    }

    static XYChart curves(String title, String yTitle, History h, String key, double[] epochs) {
        XYChart c = new XYChartBuilder()
                .width(W)
                .height(H)
                .title(title)
                .xAxisTitle("epoch")
                .yAxisTitle(yTitle)
                .build();
        style(c.getStyler());
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        c.getStyler().setXAxisDecimalPattern("#");
        c.getStyler().setYAxisDecimalPattern(VALUE_PATTERN);
        XYSeries s = c.addSeries("training", epochs, h.get(key));
        s.setMarker(SeriesMarkers.CIRCLE);
        if (h.keys().contains("val_" + key)) {
            XYSeries v = c.addSeries("validation", epochs, h.get("val_" + key));
            v.setMarker(SeriesMarkers.DIAMOND);
        }
        return c;
    }

    /** The confusion matrix of a binary classifier as a labelled heat map. */
    public static BufferedImage confusionMatrix(BinaryReport report) {
        if (report == null) {
            return message("No evaluation yet: evaluate the model first.");
        }
        HeatMapChart c = new HeatMapChartBuilder()
                .width(420)
                .height(360)
                .title("Confusion matrix")
                .xAxisTitle("predicted")
                .yAxisTitle("true")
                .build();
        style(c.getStyler());
        c.getStyler().setShowValue(true);
        c.getStyler().setLegendVisible(false);
        c.getStyler().setRangeColors(new Color[] {new Color(0xEEF3FA), new Color(0x2B6CB0)});
        c.getStyler().setValueFontColor(Color.BLACK);
        int[][] m = report.confusionMatrix();
        // XChart's heat map takes {x, y, value} triples with y growing upwards: put "negative" on top.
        List<Number[]> cells = List.of(
                new Number[] {0, 1, m[0][0]}, new Number[] {1, 1, m[0][1]},
                new Number[] {0, 0, m[1][0]}, new Number[] {1, 0, m[1][1]});
        c.addSeries("counts", List.of("negative", "positive"), List.of("positive", "negative"), cells);
        return image(c);
    }

    /**
     * A forecast against the actual series, the classic picture of the airline exercise: the
     * predictions for the training windows and for the test windows are drawn where they belong in
     * time ({@code trainOffset} and {@code testOffset}: the index of the first predicted value).
     */
    public static BufferedImage forecast(
            String title,
            double[] actual,
            double[] trainPredictions,
            int trainOffset,
            double[] testPredictions,
            int testOffset) {
        XYChart c = new XYChartBuilder()
                .width(2 * W)
                .height(H + 40)
                .title(title)
                .xAxisTitle("month")
                .yAxisTitle("value")
                .build();
        style(c.getStyler());
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        c.getStyler().setMarkerSize(0);
        c.addSeries("actual", IntStream.range(0, actual.length).asDoubleStream().toArray(), actual)
                .setLineColor(Color.GRAY);
        if (trainPredictions != null && trainPredictions.length > 0) {
            c.addSeries(
                    "predicted (training part)",
                    IntStream.range(trainOffset, trainOffset + trainPredictions.length)
                            .asDoubleStream()
                            .toArray(),
                    trainPredictions);
        }
        if (testPredictions != null && testPredictions.length > 0) {
            c.addSeries(
                    "predicted (test part)",
                    IntStream.range(testOffset, testOffset + testPredictions.length)
                            .asDoubleStream()
                            .toArray(),
                    testPredictions);
        }
        return image(c);
    }

    /** {@link #forecast(String, double[], double[], int, double[], int)} for two {@link Forecast}s; a message if either is missing. */
    public static BufferedImage forecast(
            String title,
            double[] series,
            org.rnnlab.eval.Forecast train,
            int trainOffset,
            org.rnnlab.eval.Forecast test,
            int testOffset) {
        if (train == null || test == null) {
            return message("No forecast yet: build and train the model first.");
        }
        return forecast(title, series, train.predicted(), trainOffset, test.predicted(), testOffset);
    }

    /** A line chart of one series over its index, e.g. a time series as loaded. */
    public static BufferedImage line(String title, String xTitle, String yTitle, double[] values) {
        XYChart c = new XYChartBuilder()
                .width(2 * W)
                .height(H)
                .title(title)
                .xAxisTitle(xTitle)
                .yAxisTitle(yTitle)
                .build();
        style(c.getStyler());
        c.getStyler().setLegendVisible(false);
        c.getStyler().setMarkerSize(0);
        c.addSeries(yTitle, IntStream.range(0, values.length).asDoubleStream().toArray(), values);
        return image(c);
    }

    /**
     * Several series over a shared x axis, one line each with a legend, e.g. a gradient's size against
     * the distance in steps for three kinds of cell; {@code logY} draws the y axis logarithmically.
     */
    public static BufferedImage lines(
            String title,
            String xTitle,
            String yTitle,
            double[] x,
            java.util.Map<String, double[]> series,
            boolean logY) {
        if (series == null || series.isEmpty()) {
            return message("Nothing to plot yet.");
        }
        XYChart c = new XYChartBuilder()
                .width(2 * W)
                .height(H)
                .title(title)
                .xAxisTitle(xTitle)
                .yAxisTitle(yTitle)
                .build();
        style(c.getStyler());
        c.getStyler().setMarkerSize(4);
        c.getStyler().setYAxisLogarithmic(logY);
        series.forEach((name, y) -> c.addSeries(name, x, y));
        return image(c);
    }

    /**
     * A scatter plot of predicted against true values with the diagonal where they agree, e.g. predicted
     * star ratings of reviews against their real ones; {@code jitter} spreads the true values sideways
     * by up to that much (seeded), so that points on whole numbers do not hide each other.
     */
    public static BufferedImage scatter(
            String title, String xTitle, String yTitle, double[] truth, double[] predicted, double jitter) {
        if (truth == null || predicted == null || truth.length == 0 || truth.length != predicted.length) {
            return message("Nothing to plot yet: predict first.");
        }
        XYChart c = new XYChartBuilder()
                .width(W + 120)
                .height(H + 60)
                .title(title)
                .xAxisTitle(xTitle)
                .yAxisTitle(yTitle)
                .build();
        style(c.getStyler());
        c.getStyler().setDefaultSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setMarkerSize(2);
        c.getStyler().setLegendVisible(false);
        java.util.Random rng = new java.util.Random(1);
        double[] x = java.util.Arrays.stream(truth)
                .map(v -> v + (rng.nextDouble() - 0.5) * 2 * jitter)
                .toArray();
        c.addSeries("predictions", x, predicted);
        double lo = Math.min(
                java.util.Arrays.stream(truth).min().getAsDouble(),
                java.util.Arrays.stream(predicted).min().getAsDouble());
        double hi = Math.max(
                java.util.Arrays.stream(truth).max().getAsDouble(),
                java.util.Arrays.stream(predicted).max().getAsDouble());
        c.addSeries("agreement", new double[] {lo, hi}, new double[] {lo, hi})
                .setXYSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Line);
        return image(c);
    }

    /** A bar chart of one value per label, in the order given, e.g. test accuracy per model. */
    public static BufferedImage bars(String title, String yTitle, java.util.Map<String, ? extends Number> values) {
        if (values == null || values.isEmpty()) {
            return message("Nothing to compare yet.");
        }
        org.knowm.xchart.CategoryChart c = new org.knowm.xchart.CategoryChartBuilder()
                .width(W + 120)
                .height(H)
                .title(title)
                .yAxisTitle(yTitle)
                .build();
        style(c.getStyler());
        c.getStyler().setLegendVisible(false);
        c.getStyler().setLabelsVisible(true);
        c.getStyler().setXAxisLabelRotation(20);
        // Bar labels print the value itself: round it so that 57.7 does not show as 57.699999.
        java.util.List<Number> shown = values.values().stream()
                .map(v -> (Number) (Math.round(v.doubleValue() * 100) / 100.0))
                .toList();
        c.addSeries(yTitle, new java.util.ArrayList<>(values.keySet()), shown);
        return image(c);
    }

    /** An image holding one line of text: what a plot shows when there is nothing to plot yet. */
    public static BufferedImage message(String text) {
        BufferedImage img = new BufferedImage(W, 60, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(new Color(0xFFF8E1));
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(new Color(0x8A6D3B));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        g.drawString("⚠ " + text, 12, 35);
        g.dispose();
        return img;
    }

    /** Renders any XChart chart to an image. */
    public static BufferedImage image(Chart<?, ?> chart) {
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** Puts images next to each other on a white background. */
    public static BufferedImage sideBySide(BufferedImage... images) {
        int w = 0;
        int h = 0;
        for (BufferedImage i : images) {
            w += i.getWidth();
            h = Math.max(h, i.getHeight());
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        int x = 0;
        for (BufferedImage i : images) {
            g.drawImage(i, x, 0, null);
            x += i.getWidth();
        }
        g.dispose();
        return out;
    }

    private static void style(Styler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(false);
        s.setChartTitleBoxVisible(false);
        s.setLegendBorderColor(Color.LIGHT_GRAY);
        s.setAntiAlias(true);
    }
}
