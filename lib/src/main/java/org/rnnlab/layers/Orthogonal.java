package org.rnnlab.layers;

import java.util.Random;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Keras' {@code Orthogonal} initializer, the default for the recurrent kernels of its SimpleRNN,
 * LSTM and GRU: a Gaussian matrix made orthogonal by a QR decomposition (signs fixed by R's
 * diagonal), times a gain. A weight of shape (rows, cols) gets orthonormal columns when
 * rows ≥ cols and orthonormal rows otherwise. (DL4J's {@code OrthogonalDistribution} does not
 * give an orthogonal matrix in 1.0.0-M2.1, hence this class.)
 *
 * <p>The random numbers come from ND4J's generator, so a network's {@code seed} makes them repeatable.
 */
public final class Orthogonal implements IWeightInit {

    private final double gain;

    /** Gain 1, Keras' default. */
    public Orthogonal() {
        this(1.0);
    }

    /** An orthogonal initializer scaled by {@code gain}. */
    public Orthogonal(@JsonProperty("gain") double gain) {
        this.gain = gain;
    }

    /** The scale applied to the orthogonal matrix. */
    public double getGain() {
        return gain;
    }

    @Override
    public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
        long cols = shape[shape.length - 1];
        long rows = 1;
        for (int i = 0; i < shape.length - 1; i++) {
            rows *= shape[i];
        }
        double[][] q = matrix((int) rows, (int) cols, Nd4j.getRandom().nextLong(), gain);
        INDArray w = Nd4j.create(q).castTo(paramView.dataType());
        paramView.assign(Nd4j.toFlattened(order, w.reshape('c', shape)).reshape(paramView.shape()));
        return paramView.reshape(order, shape);
    }

    /** An orthogonal {@code rows × cols} matrix from a seeded Gaussian, scaled by {@code gain}. */
    public static double[][] matrix(int rows, int cols, long seed, double gain) {
        boolean transpose = rows < cols;
        int m = transpose ? cols : rows; // tall: m ≥ n
        int n = transpose ? rows : cols;
        Random rng = new Random(seed);
        double[][] a = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                a[i][j] = rng.nextGaussian();
            }
        }
        // Modified Gram–Schmidt QR: the columns of a become Q; r_jj's sign is folded in so that Q·sign(diag R) is
        // returned, as Keras does.
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < j; k++) {
                double dot = 0;
                for (int i = 0; i < m; i++) {
                    dot += a[i][k] * a[i][j];
                }
                for (int i = 0; i < m; i++) {
                    a[i][j] -= dot * a[i][k];
                }
            }
            double norm = 0;
            for (int i = 0; i < m; i++) {
                norm += a[i][j] * a[i][j];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < m; i++) {
                a[i][j] /= norm;
            }
        }
        double[][] out = new double[rows][cols];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                if (transpose) {
                    out[j][i] = gain * a[i][j];
                } else {
                    out[i][j] = gain * a[i][j];
                }
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Orthogonal other && other.gain == gain;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(gain);
    }

    @Override
    public String toString() {
        return "Orthogonal(gain=" + gain + ")";
    }
}
