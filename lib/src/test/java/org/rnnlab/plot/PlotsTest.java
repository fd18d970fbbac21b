package org.rnnlab.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnnlab.Mode;
import org.rnnlab.eval.BinaryReport;
import org.rnnlab.train.History;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class PlotsTest {

    @Test
    void trainingCurvesPutLossAndMetricSideBySide() {
        History h = new History(
                List.of(
                        Map.of("loss", 0.6, "accuracy", 0.7, "val_loss", 0.5, "val_accuracy", 0.75),
                        Map.of("loss", 0.4, "accuracy", 0.8, "val_loss", 0.45, "val_accuracy", 0.8)),
                List.of(1.0, 1.0),
                2,
                Mode.FULL);
        BufferedImage img = Plots.history(h);
        assertEquals(960, img.getWidth());
        assertEquals(340, img.getHeight());
    }

    @Test
    void curveAxesShowAtMostFourDecimalsAndShortMetricsInCapitals() {
        History h = new History(
                List.of(
                        Map.of("loss", 0.208817185642563, "mae", 0.377754548568905),
                        Map.of("loss", 0.151666846230765, "mae", 0.308933847975508)),
                List.of(1.0, 1.0),
                2,
                Mode.FULL);
        String pattern = Plots.curves("Loss", "loss", h, "loss", new double[] {1, 2})
                .getStyler()
                .getYAxisDecimalPattern();
        assertEquals("0.2088", new java.text.DecimalFormat(pattern).format(0.208817185642563));
        assertEquals("1,250", new java.text.DecimalFormat(Plots.VALUE_PATTERN).format(1250.0));
        assertEquals("MAE", Plots.metricTitle("mae"));
        assertEquals("Accuracy", Plots.metricTitle("accuracy"));
    }

    @Test
    void emptyInputsGiveAMessageImageInsteadOfAnError() {
        assertEquals(60, Plots.history(History.empty(Mode.QUICK)).getHeight());
        assertEquals(60, Plots.confusionMatrix(null).getHeight());
        assertEquals(60, Plots.bars("t", "y", Map.of()).getHeight());
    }

    @Test
    void otherChartsRender() {
        assertEquals(
                420,
                Plots.confusionMatrix(BinaryReport.of(new double[] {0.9, 0.1}, new int[] {1, 0}))
                        .getWidth());
        double[] series = {1, 2, 3, 4, 5, 6};
        assertEquals(
                960,
                Plots.forecast("f", series, new double[] {2, 3}, 1, new double[] {5}, 4)
                        .getWidth());
        Map<String, Double> acc = new LinkedHashMap<>();
        acc.put("RNN", 0.84);
        acc.put("LSTM", 0.87);
        assertTrue(Plots.bars("accuracy", "test accuracy", acc).getWidth() > 0);
        Map<String, double[]> lines = new LinkedHashMap<>();
        lines.put("SimpleRnn", new double[] {1, 0.1, 0.01});
        lines.put("LSTM", new double[] {1, 0.5, 0.25});
        assertEquals(
                960,
                Plots.lines("g", "k", "size", new double[] {0, 1, 2}, lines, true)
                        .getWidth());
        assertEquals(
                60,
                Plots.lines("g", "k", "size", new double[] {0}, Map.of(), false).getHeight());
        assertEquals(
                600,
                Plots.scatter("s", "true", "predicted", new double[] {1, 4, 10}, new double[] {2, 5, 8}, 0.3)
                        .getWidth());
        assertEquals(
                60,
                Plots.scatter("s", "true", "predicted", new double[] {1}, new double[0], 0)
                        .getHeight());
    }

    @Test
    void tablesRenderAsHtmlWithEscapingAndRowLimit() {
        Table t = Table.create(
                "scores", StringColumn.create("model", "RNN", "<LSTM>"), DoubleColumn.create("acc", 0.84151, 0.87));
        String html = Tables.html(t).toString();
        assertTrue(html.startsWith("<table"), html);
        assertTrue(html.contains("<caption style=\"text-align:left;font-weight:bold\">scores</caption>"), html);
        assertTrue(html.contains(">0.8415</td>"), html);
        assertTrue(html.contains("&lt;LSTM&gt;"), html);
        assertTrue(Tables.html(t, 1).toString().contains("1 more rows (2 in all)"));
    }
}
