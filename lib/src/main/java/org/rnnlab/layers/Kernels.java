package org.rnnlab.layers;

import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.bytedeco.javacpp.DoublePointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.common.primitives.Pair;

import java.util.Map;

/**
 * The building blocks of this library's recurrent time loops: the cells' nonlinearities, the
 * products over all time steps at once (input projections, weight gradients, the gradient to the
 * layer below, with ND4J), and the moves between DL4J's [batch, features, time] arrays and the
 * time-major rows (row t·batch + i is example i at step t) the loops work on as plain doubles.
 * A step's own recurrent product goes through {@link StepGemm}.
 */
final class Kernels {

    private Kernels() {
    }

    /** The transpose of a row-major [rows × cols] matrix, row-major. */
    static double[] transpose(double[] a, int rows, int cols) {
        double[] t = new double[a.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = a[i * cols + j];
            }
        }
        return t;
    }

    static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    /** tanh through one exponential (Math.tanh is not an intrinsic); exact to a few ulps, ±1 in the tails. */
    static double tanh(double x) {
        if (x > 20) {
            return 1.0;
        }
        if (x < -20) {
            return -1.0;
        }
        if (Math.abs(x) < 1e-4) {
            double x2 = x * x;
            return x * (1 - x2 / 3 + 2 * x2 * x2 / 15);
        }
        double e = Math.exp(2 * x);
        return (e - 1) / (e + 1);
    }

    /** A matrix (any order, any data type) as row-major doubles. */
    static double[] rowMajor(INDArray m) {
        return copyOut(m.castTo(DataType.DOUBLE).dup('c'));
    }

    /** The doubles of a fresh, c-ordered array, in one native copy (ND4J's own conversion goes element by element). */
    private static double[] copyOut(INDArray fresh) {
        double[] out = new double[Math.toIntExact(fresh.length())];
        new DoublePointer(fresh.data().addressPointer()).get(out);
        return out;
    }

    /** The sum of each column of a row-major matrix with {@code cols} columns (a bias gradient). */
    private static double[] columnSums(double[] a, int cols) {
        double[] s = new double[cols];
        for (int off = 0; off < a.length; off += cols) {
            for (int j = 0; j < cols; j++) {
                s[j] += a[off + j];
            }
        }
        return s;
    }

    /** [batch, features, time] as time-major rows: [time·batch, features], row-major doubles. */
    static double[] timeMajor(INDArray ncw) {
        return copyOut(ncw.castTo(DataType.DOUBLE).permute(2, 0, 1).dup('c'));
    }

    /**
     * [batch, features, time] as an ND4J matrix of doubles with time-major rows [time·batch, features],
     * outside any workspace: a layer keeps it from its forward pass for backprop.
     */
    static INDArray rows(INDArray ncw) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return ncw.castTo(DataType.DOUBLE).permute(2, 0, 1).dup('c').reshape('c', ncw.size(2) * ncw.size(0), ncw.size(1));
        }
    }

    /** x·W + b over all time steps at once: the input projections, time-major rows of {@code cols} doubles. */
    static double[] project(INDArray x, INDArray w, INDArray b, int cols) {
        INDArray bias = b.castTo(DataType.DOUBLE).reshape(b.length()).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, cols));
        return rowMajor(x.mmul(w.castTo(DataType.DOUBLE)).addiRowVector(bias));
    }

    /** The states each step started from: the rows of {@code h} moved one step later, zeros at step 0. */
    private static double[] previous(double[] h, int batch, int units) {
        double[] prev = new double[h.length];
        System.arraycopy(h, 0, prev, batch * units, h.length - batch * units);
        return prev;
    }

    /**
     * Backprop's products over all steps for a recurrent layer with parameters W [nIn, width], RW [units, width]
     * and b (keys in that order): from dz, the gradients of the pre-activations x·W + b, and dzRec, those of
     * h·RW (the same array where both sit in one sum, as in an LSTM), all time-major rows, the parameter
     * gradients (written into the layer's gradient views; a bias twice as wide gets dzRec's sums in its second
     * half) and dZ·Wᵀ, the gradient to the layer below as DL4J's [batch, nIn, time] in the network's type.
     */
    static Pair<Gradient, INDArray> gradients(double[] dz, double[] dzRec, int width, INDArray x, double[] h, int units,
                                              int batch, INDArray w, Map<String, INDArray> views, INDArray flattened,
                                              DataType type, LayerWorkspaceMgr mgr, String... keys) {
        int steps = h.length / (batch * units);
        INDArray dZ = matrix(dz, (long) steps * batch, width);
        INDArray wg = views.get(keys[0]);
        INDArray rwg = views.get(keys[1]);
        INDArray bg = views.get(keys[2]);
        wg.assign(x.transpose().mmul(dZ));
        INDArray dZRec = dzRec == dz ? dZ : matrix(dzRec, (long) steps * batch, width);
        rwg.assign(matrix(previous(h, batch, units), (long) steps * batch, units).transpose().mmul(dZRec));
        double[] bias = columnSums(dz, width);
        if (bg.length() == 2L * width) {
            bias = java.util.stream.DoubleStream.concat(java.util.Arrays.stream(bias),
                    java.util.Arrays.stream(columnSums(dzRec, width))).toArray();
        }
        bg.assign(Nd4j.createFromArray(bias).reshape(bg.shape()));
        Gradient g = new DefaultGradient(flattened);
        g.gradientForVariable().put(keys[0], wg);
        g.gradientForVariable().put(keys[1], rwg);
        g.gradientForVariable().put(keys[2], bg);

        INDArray dx = dZ.mmul(w.castTo(DataType.DOUBLE).transpose());
        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, type, new long[]{batch, dx.size(1), steps}, 'f');
        out.assign(dx.reshape('c', steps, batch, dx.size(1)).permute(1, 2, 0));
        return new Pair<>(g, out);
    }

    /** Time-major rows [time·batch, features] as an ND4J matrix of doubles. */
    static INDArray matrix(double[] rows, long nRows, long cols) {
        return Nd4j.createFromArray(rows).reshape('c', nRows, cols);
    }

    /** Time-major rows back to DL4J's [batch, features, time], in the network's type and the given workspace. */
    static INDArray toNcw(double[] rows, int steps, int batch, int features, DataType type, LayerWorkspaceMgr mgr,
                          ArrayType arrayType) {
        INDArray out = mgr.createUninitialized(arrayType, type, new long[]{batch, features, steps}, 'f');
        out.assign(Nd4j.createFromArray(rows).reshape('c', steps, batch, features).permute(1, 2, 0));
        return out;
    }
}
