package org.rnnlab.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BinaryReportTest {

    @Test
    void confusionMatrixAndScoresAtTheThreshold() {
        double[] p = {0.9, 0.8, 0.3, 0.6, 0.2, 0.1, 0.7, 0.4};
        int[] y = {1, 1, 1, 0, 0, 0, 1, 0};
        BinaryReport r = BinaryReport.of(p, y);
        // predicted positive: 0.9, 0.8, 0.6, 0.7 -> TP 3 (0.9, 0.8, 0.7), FP 1 (0.6); FN 1 (0.3); TN 3.
        assertArrayEquals(new int[][] {{3, 1}, {1, 3}}, r.confusionMatrix());
        assertEquals(0.75, r.accuracy(), 1e-12);
        assertEquals(0.75, r.precision(), 1e-12);
        assertEquals(0.75, r.recall(), 1e-12);
        assertEquals(0.75, r.f1(), 1e-12);
        // positives 0.9, 0.8, 0.3, 0.7 against negatives 0.6, 0.2, 0.1, 0.4: 14 of 16 pairs ordered right.
        assertEquals(14.0 / 16, r.auc(), 1e-12);
        assertTrue(r.toString().contains("Accuracy:  75.00 %"), r.toString());
    }

    @Test
    void aucCountsTiesAsHalf() {
        assertEquals(0.75, Metrics.rocAuc(new double[] {0.1, 0.4, 0.35, 0.8}, new int[] {0, 0, 1, 1}), 1e-12);
        assertEquals(0.5, Metrics.rocAuc(new double[] {0.5, 0.5}, new int[] {0, 1}), 1e-12);
    }

    @Test
    void regressionErrors() {
        double[] pred = {2.0, 4.0, 6.0};
        double[] act = {1.0, 4.0, 8.0};
        assertEquals(5.0 / 3, Metrics.mse(pred, act), 1e-12);
        assertEquals(1.0, Metrics.mae(pred, act), 1e-12);
        assertEquals(Math.sqrt(5.0 / 3), Metrics.rmse(pred, act), 1e-12);
    }

    @Test
    void mismatchedOrBadLabelsAreExplained() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> BinaryReport.of(new double[] {0.1, 0.2}, new int[] {1}));
        assertTrue(e.getMessage().contains("2 predictions but 1 labels"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BinaryReport.of(new double[] {0.1}, new int[] {2}));
        assertThrows(IllegalArgumentException.class, () -> Metrics.mae(new double[] {1}, new double[] {1, 2}));
    }
}
