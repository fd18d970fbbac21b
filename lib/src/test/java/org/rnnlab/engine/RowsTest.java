package org.rnnlab.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The engine's array reader and writer keep every value where DL4J's layout says it belongs. */
class RowsTest {

    /** [2, 3, 4] in each layout DL4J hands a layer: 'c', 'f', and a permuted time-major [4, 2, 3]; float and double. */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> layouts() {
        return java.util.stream.Stream.of(DataType.FLOAT, DataType.DOUBLE)
                .flatMap(type -> java.util.stream.Stream.of(
                                Nd4j.rand(type, 2, 3, 4).dup('c'),
                                Nd4j.rand(type, 2, 3, 4).dup('f'),
                                Nd4j.rand(type, 4, 2, 3).permute(1, 2, 0))
                        .map(org.junit.jupiter.params.provider.Arguments::of));
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("layouts")
    void readsTimeMajorRowsForwardsAndBackwardsAndReversesTime(INDArray ncw) {
        DataType type = ncw.dataType();
        float[] rows = Rows.timeMajor(ncw);
        float[] back = Rows.timeMajor(ncw, true);
        for (int t = 0; t < 4; t++) {
            for (int b = 0; b < 2; b++) {
                for (int f = 0; f < 3; f++) {
                    assertEquals(ncw.getFloat(b, f, t), rows[(t * 2 + b) * 3 + f], 0f);
                    assertEquals(ncw.getFloat(b, f, 3 - t), back[(t * 2 + b) * 3 + f], 0f);
                }
            }
        }
        INDArray reversed = Rows.reverseTime(ncw);
        assertEquals(type, reversed.dataType());
        for (int t = 0; t < 4; t++) {
            for (int b = 0; b < 2; b++) {
                for (int f = 0; f < 3; f++) {
                    assertEquals(ncw.getDouble(b, f, 3 - t), reversed.getDouble(b, f, t), 0.0);
                }
            }
        }
    }

    /**
     * A bidirectional layer's input gradient, the forward direction's plus the backward one's reversed in time: in
     * place in the first array, for every pair of layouts (step by step, as the engine's layers return them, in one
     * pass; any other through ND4J).
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("layouts")
    void addsAReversedSequenceInPlace(INDArray b) {
        for (INDArray a : new INDArray[] {
            Nd4j.rand(DataType.FLOAT, 4, 2, 3).permute(1, 2, 0),
            Nd4j.rand(DataType.FLOAT, 2, 3, 4).dup('c')
        }) {
            INDArray before = a.dup();
            INDArray other = b.castTo(DataType.FLOAT);
            INDArray sum = Rows.addReversed(a, other);
            org.junit.jupiter.api.Assertions.assertSame(a, sum, "the sum is the first array");
            for (int t = 0; t < 4; t++) {
                for (int i = 0; i < 2; i++) {
                    for (int f = 0; f < 3; f++) {
                        float expected = before.getFloat(i, f, t) + other.getFloat(i, f, 3 - t);
                        assertEquals(expected, a.getFloat(i, f, t), 1e-6f, "at " + i + "," + f + "," + t);
                    }
                }
            }
        }
    }

    @org.junit.jupiter.api.Test
    void writesRowsBackAsNcwAndReadsMatricesRowMajor() {
        float[] rows = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}; // 2 steps × 3 examples × 2 features
        INDArray ncw = Rows.toNcw(rows, 2, 3, 2, DataType.DOUBLE, null, null);
        assertArrayEquals(new long[] {3, 2, 2}, ncw.shape());
        assertEquals(9.0, ncw.getDouble(1, 0, 1), 0.0); // example 1, feature 0, step 1: row 1·3 + 1
        INDArray m = Nd4j.create(new float[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3}, 'f');
        assertArrayEquals(new float[] {1, 3, 5, 2, 4, 6}, Rows.rowMajor(m), 0f);
        assertArrayEquals(new float[] {1, 3, 5, 2, 4, 6}, Rows.rowMajor(Rows.matrix(Rows.rowMajor(m), 2, 3)), 0f);
    }

    /** A matrix written into views of a larger array as DL4J lays out gradients: in place, nothing around it touched. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(chars = {'f', 'c', 's'})
    void assignsAMatrixIntoAViewInPlace(char layout) {
        INDArray flat = Nd4j.rand(DataType.FLOAT, 1, 40).reshape(40);
        INDArray before = flat.dup();
        INDArray view = switch (layout) {
            case 'f' ->
                flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(5, 17)).reshape('f', 4, 3);
            case 'c' ->
                flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(5, 17)).reshape('c', 4, 3);
            default ->
                flat.reshape('c', 5, 8)
                        .get(
                                org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 5),
                                org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 5)); // rows with gaps: ND4J's assign
        };
        float[] m = new float[12];
        for (int i = 0; i < m.length; i++) {
            m[i] = 100 + i;
        }
        Rows.assign(m, 4, 3, view, new Scratch());
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(m[i * 3 + j], view.getFloat(i, j), 0f, "element " + i + ", " + j);
            }
        }
        int changed = 0;
        for (int k = 0; k < 40; k++) {
            changed += flat.getFloat(k) != before.getFloat(k) ? 1 : 0;
        }
        assertEquals(12, changed, "only the view's values change");
    }
}
