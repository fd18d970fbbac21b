package org.rnnlab.engine;

import java.util.Map;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The building blocks of this library's recurrent time loops: the cells' nonlinearities, the
 * products over all time steps at once (input projections, weight gradients, the gradient to the
 * layer below, with ND4J), and the moves between DL4J's [batch, features, time] arrays and the
 * time-major rows (row t·batch + i is example i at step t) the loops work on as plain doubles.
 * A step's own recurrent product goes through {@link StepGemm}.
 */
final class LoopMath {

    private LoopMath() {}

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
        return values(m, 'c');
    }

    /** Whether {@code a} lies in its buffer from its start, in the given order, without gaps. */
    private static boolean contiguous(INDArray a, char order) {
        if (a.offset() != 0 || a.ordering() != order || a.data().length() < a.length()) {
            return false;
        }
        long[] shape = a.shape();
        long[] stride = a.stride();
        long expected = 1;
        for (int k = 0; k < shape.length; k++) {
            int d = order == 'c' ? shape.length - 1 - k : k;
            if (shape[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    /**
     * The values of {@code a} in the given order as doubles, read from its buffer in one native copy
     * (ND4J's own conversion goes element by element, and its cast of a strided array is slower still).
     */
    static double[] values(INDArray a, char order) {
        INDArray src = contiguous(a, order) ? a : a.dup(order);
        if (src.dataType() != DataType.DOUBLE && src.dataType() != DataType.FLOAT) {
            return values(src.castTo(DataType.DOUBLE), order);
        }
        int n = Math.toIntExact(src.length());
        double[] out = new double[n];
        if (src.dataType() == DataType.DOUBLE) {
            new DoublePointer(src.data().addressPointer()).get(out, 0, n);
        } else {
            float[] f = new float[n];
            new FloatPointer(src.data().addressPointer()).get(f, 0, n);
            for (int i = 0; i < n; i++) {
                out[i] = f[i];
            }
        }
        return out;
    }

    /** Adds v[from .. from+cols) to every row of a row-major matrix with {@code cols} columns (a bias). */
    static void addRowVector(double[] m, int cols, double[] v, int from) {
        for (int off = 0; off < m.length; off += cols) {
            for (int j = 0; j < cols; j++) {
                m[off + j] += v[from + j];
            }
        }
    }

    /** An array of the given shape, order and type holding {@code v} (in that order), written in one native copy. */
    private static INDArray create(
            double[] v, DataType type, char order, LayerWorkspaceMgr mgr, ArrayType arrayType, long... shape) {
        INDArray out = mgr == null
                ? Nd4j.createUninitialized(type, shape, order)
                : mgr.createUninitialized(arrayType, type, shape, order);
        switch (type) {
            case DOUBLE -> new DoublePointer(out.data().addressPointer()).put(v, 0, v.length);
            case FLOAT -> {
                float[] f = new float[v.length];
                for (int i = 0; i < f.length; i++) {
                    f[i] = (float) v[i];
                }
                new FloatPointer(out.data().addressPointer()).put(f, 0, f.length);
            }
            default -> out.assign(create(v, DataType.DOUBLE, order, null, null, shape));
        }
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

    /** [batch, features, time] (any order, any type, any strides) as time-major rows: [time·batch, features], row-major doubles. */
    static double[] timeMajor(INDArray ncw) {
        return StepInput.of(ncw).rows();
    }

    /** x·W + b over all time steps at once (x: time-major rows of nIn): the input projections, rows of {@code cols}. */
    static double[] project(double[] x, int nIn, INDArray w, INDArray b, int cols) {
        double[] z = Blas.product(
                Blas.Block.of(x, x.length / nIn, nIn),
                false,
                Blas.Block.of(rowMajor(w), nIn, cols),
                false,
                w.dataType());
        addRowVector(z, cols, rowMajor(b), 0);
        return z;
    }

    /**
     * Backprop's products over all steps for a recurrent layer with parameters W [nIn, width], RW [units, width]
     * and b (keys in that order): from dz, the gradients of the pre-activations x·W + b, and dzRec, those of
     * h·RW (the same array where both sit in one sum, as in an LSTM), all time-major rows, the parameter
     * gradients (written into the layer's gradient views; a bias twice as wide gets dzRec's sums in its second
     * half) and dZ·Wᵀ, the gradient to the layer below as DL4J's [batch, nIn, time] in the network's type.
     */
    static Pair<Gradient, INDArray> gradients(
            double[] dz,
            double[] dzRec,
            int width,
            double[] x,
            double[] h,
            int units,
            int batch,
            INDArray w,
            Map<String, INDArray> views,
            INDArray flattened,
            DataType type,
            LayerWorkspaceMgr mgr,
            String... keys) {
        int rows = h.length / units;
        int steps = rows / batch;
        int nIn = x.length / rows;
        INDArray wg = views.get(keys[0]);
        INDArray rwg = views.get(keys[1]);
        INDArray bg = views.get(keys[2]);
        wg.assign(matrix(
                Blas.product(Blas.Block.of(x, rows, nIn), true, Blas.Block.of(dz, rows, width), false, type),
                nIn,
                width));
        // Step t's recurrent input is the state of step t-1: rows 0 .. T-2 of h against rows 1 .. T-1 of dzRec.
        int later = rows - batch;
        rwg.assign(matrix(
                Blas.product(
                        new Blas.Block(h, 0, units, later, units),
                        true,
                        new Blas.Block(dzRec, batch * width, width, later, width),
                        false,
                        type),
                units,
                width));
        double[] bias = columnSums(dz, width);
        if (bg.length() == 2L * width) {
            bias = java.util.stream.DoubleStream.concat(
                            java.util.Arrays.stream(bias), java.util.Arrays.stream(columnSums(dzRec, width)))
                    .toArray();
        }
        bg.assign(matrix(bias, 1, bias.length).reshape(bg.shape()));
        Gradient g = new DefaultGradient(flattened);
        g.gradientForVariable().put(keys[0], wg);
        g.gradientForVariable().put(keys[1], rwg);
        g.gradientForVariable().put(keys[2], bg);

        double[] dx =
                Blas.product(Blas.Block.of(dz, rows, width), false, Blas.Block.of(rowMajor(w), nIn, width), true, type);
        return new Pair<>(g, toNcw(dx, steps, batch, nIn, type, mgr, ArrayType.ACTIVATION_GRAD));
    }

    /** A row-major matrix of doubles as an ND4J array (for the parameter-sized results assigned to gradient views). */
    static INDArray matrix(double[] v, long rows, long cols) {
        return create(v, DataType.DOUBLE, 'c', null, null, rows, cols);
    }

    /**
     * Time-major rows back to DL4J's [batch, features, time], in the network's type and the given workspace:
     * a view of a [time, batch, features] array holding the rows as they are, so the move is one conversion.
     */
    static INDArray toNcw(
            double[] rows,
            int steps,
            int batch,
            int features,
            DataType type,
            LayerWorkspaceMgr mgr,
            ArrayType arrayType) {
        return create(rows, type, 'c', mgr, arrayType, steps, batch, features).permute(1, 2, 0);
    }

    /** [batch, features, time] with the time axis reversed: a new array of the same type, outside any workspace. */
    static INDArray reverseTime(INDArray ncw) {
        int batch = (int) ncw.size(0);
        int features = (int) ncw.size(1);
        int steps = (int) ncw.size(2);
        double[] rows = timeMajor(ncw);
        double[] reversed = new double[rows.length];
        int block = batch * features;
        for (int t = 0; t < steps; t++) {
            System.arraycopy(rows, t * block, reversed, (steps - 1 - t) * block, block);
        }
        try (org.nd4j.linalg.api.memory.MemoryWorkspace ignored =
                Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return toNcw(reversed, steps, batch, features, ncw.dataType(), null, null);
        }
    }
}
