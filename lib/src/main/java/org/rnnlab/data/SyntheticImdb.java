package org.rnnlab.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Random data shaped like the padded IMDB reviews (token indices 1 … vocabulary − 1, labels 0 or 1),
 * for benchmarks, which time the same work on every framework and layer without reading the corpus.
 */
public final class SyntheticImdb {

    private SyntheticImdb() {}

    /** {@code count} batches of {@code batch} sequences of {@code length} tokens with 0/1 labels, drawn from {@code rng}. */
    public static List<DataSet> batches(int count, int batch, int length, int vocabulary, Random rng) {
        List<DataSet> out = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            float[] x = new float[batch * length];
            float[] y = new float[batch];
            for (int i = 0; i < x.length; i++) {
                x[i] = 1 + rng.nextInt(vocabulary - 1);
            }
            for (int i = 0; i < y.length; i++) {
                y[i] = rng.nextInt(2);
            }
            out.add(new DataSet(
                    Nd4j.create(x, new long[] {batch, length}, 'c'), Nd4j.create(y, new long[] {batch, 1}, 'c')));
        }
        return out;
    }

    /** {@code count} reviews: sequences of {@code length} tokens with 0/1 labels, drawn from {@code rng}. */
    public static SequenceDataset reviews(int count, int length, int vocabulary, Random rng) {
        int[][] x = sequences(count, length, vocabulary, rng);
        int[] y = new int[count];
        for (int i = 0; i < count; i++) {
            y[i] = rng.nextInt(2);
        }
        return SequenceDataset.of(x, y);
    }

    /** {@code count} sequences of {@code length} tokens, drawn from {@code rng}. */
    public static int[][] sequences(int count, int length, int vocabulary, Random rng) {
        int[][] out = new int[count][length];
        for (int[] s : out) {
            for (int t = 0; t < length; t++) {
                s[t] = 1 + rng.nextInt(vocabulary - 1);
            }
        }
        return out;
    }
}
