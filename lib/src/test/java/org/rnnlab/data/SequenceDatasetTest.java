package org.rnnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

class SequenceDatasetTest {

    private static SequenceDataset tenSamples() {
        int[][] x = new int[10][3];
        int[] y = new int[10];
        for (int i = 0; i < 10; i++) {
            x[i] = new int[] {i, i, i};
            y[i] = i % 2;
        }
        return SequenceDataset.of(x, y);
    }

    @Test
    void validationSplitTakesTheLastFractionInOrder() {
        SequenceDataset.Split s = tenSamples().split(0.2);
        assertEquals(8, s.train().size());
        assertEquals(2, s.validation().size());
        assertEquals(8f, s.validation().features()[0]);
        assertEquals(9f, s.validation().features()[3]);
    }

    @Test
    void batchesHaveDl4jShapesAndCoverEverySampleOnce() {
        DataSetIterator it = tenSamples().iterator(4, 7L);
        List<Float> firsts = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        while (it.hasNext()) {
            DataSet b = it.next();
            INDArray f = b.getFeatures();
            assertEquals(3, f.size(1));
            assertArrayEquals(new long[] {f.size(0), 1}, b.getLabels().shape());
            sizes.add((int) f.size(0));
            for (int r = 0; r < f.size(0); r++) {
                firsts.add(f.getFloat(r, 0));
                assertEquals(
                        (int) f.getFloat(r, 0) % 2, (int) b.getLabels().getFloat(r, 0), "label follows its sample");
            }
        }
        assertEquals(List.of(4, 4, 2), sizes);
        assertEquals(10, firsts.stream().distinct().count());
    }

    @Test
    void eachResetDrawsANewOrderAndTheSeedRepeatsIt() {
        List<Float> a1 = order(tenSamples().iterator(10, 7L), 2);
        List<Float> a2 = order(tenSamples().iterator(10, 7L), 2);
        assertEquals(a1, a2);
        assertNotEquals(a1.subList(0, 10), a1.subList(10, 20));
        assertEquals(
                List.of(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f),
                order(tenSamples().iterator(10, null), 1));
    }

    private static List<Float> order(DataSetIterator it, int epochs) {
        List<Float> out = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            it.reset();
            while (it.hasNext()) {
                INDArray f = it.next().getFeatures();
                for (int r = 0; r < f.size(0); r++) {
                    out.add(f.getFloat(r, 0));
                }
            }
        }
        return out;
    }

    @Test
    void mismatchedCountsAndLengthsAreExplained() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> SequenceDataset.of(new int[][] {{1}, {2}}, new int[] {1}));
        assertTrue(e.getMessage().contains("2 sequences but 1 labels"), e.getMessage());
        IllegalArgumentException ragged = assertThrows(
                IllegalArgumentException.class, () -> SequenceDataset.of(new int[][] {{1, 2}, {2}}, new int[] {1, 0}));
        assertTrue(ragged.getMessage().contains("padSequences"), ragged.getMessage());
        assertThrows(IllegalArgumentException.class, () -> tenSamples().split(1.0));
    }
}
