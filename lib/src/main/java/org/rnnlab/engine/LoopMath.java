package org.rnnlab.engine;

import java.util.Map;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The products over all time steps at once that every recurrent loop of the engine shares (the input
 * projections before the loop; the weight and bias gradients and the gradient to the layer below
 * after backprop), and the small matrix helpers they need, on time-major float rows ({@link Rows}).
 */
final class LoopMath {

    private LoopMath() {}

    /** The transpose of a row-major [rows × cols] matrix, row-major. */
    static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        transposeInto(a, 0, cols, rows, cols, t);
        return t;
    }

    /** t [cols × rows] = the transpose of the block a [rows × cols] from {@code off}, rows {@code ld} apart. */
    static void transposeInto(float[] a, int off, int ld, int rows, int cols, float[] t) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = a[off + i * ld + j];
            }
        }
    }

    /**
     * Below this size a gradient cannot move a float parameter (times a learning rate of 10⁻³ it is some 27
     * orders of magnitude under a weight's resolution), but inside the products it makes subnormal results.
     */
    static final float NEGLIGIBLE = 1e-30f;

    /**
     * Sets the values of a[off .. off+len) smaller than {@link #NEGLIGIBLE} to zero. Gradients carried back
     * through hundreds of steps shrink towards the subnormal range (below 1.2·10⁻³⁸), where each multiplication,
     * in Java and in OpenBLAS alike, runs many times slower; TensorFlow flushes subnormal results to zero for the
     * same reason. Flushing at 10⁻³⁰ also keeps their products with the other, small factors normal.
     */
    static void zeroNegligible(float[] a, int off, int len) {
        if (Nonlinear.VECTOR) {
            VectorNonlinear.zeroBelow(a, off, len, NEGLIGIBLE);
            return;
        }
        scalarZeroBelow(a, off, len, NEGLIGIBLE);
    }

    /** a[off .. off+len) with every value smaller than {@code limit} in magnitude set to zero, one at a time. */
    static void scalarZeroBelow(float[] a, int off, int len, float limit) {
        for (int i = off; i < off + len; i++) {
            float v = a[i];
            a[i] = Math.abs(v) < limit ? 0f : v;
        }
    }

    /** Adds v[from .. from+cols) to each of {@code rows} rows of {@code cols} values from {@code off} (a bias). */
    static void addBias(float[] m, int off, int rows, int cols, float[] v, int from) {
        for (int r = 0; r < rows; r++) {
            int o = off + r * cols;
            for (int j = 0; j < cols; j++) {
                m[o + j] += v[from + j];
            }
        }
    }

    /** Writes v[from .. from+cols) into each of {@code rows} rows of {@code cols} values from {@code off} (a bias to add to). */
    static void repeatRow(float[] v, int from, int cols, float[] m, int off, int rows) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(v, from, m, off + r * cols, cols);
        }
    }

    /** Adds the column sums of {@code rows} rows of {@code cols} values from {@code off} to acc[accOff ..] (a bias gradient). */
    static void addColumnSums(float[] a, int off, int rows, int cols, float[] acc, int accOff) {
        for (int r = 0; r < rows; r++) {
            int o = off + r * cols;
            for (int j = 0; j < cols; j++) {
                acc[accOff + j] += a[o + j];
            }
        }
    }

    /** How many steps' input projections are computed at once: their rows stay in cache for the steps that use them. */
    static final int STEPS_PER_PROJECTION = 8;

    /**
     * x·W for steps {@code t} to {@code t + STEPS_PER_PROJECTION} (fewer at the end) into z from {@code zOff}, when
     * step {@code t} begins such a block: the loops call it at every step, just before using z's rows of that step,
     * and add the bias themselves. x: time-major rows of nIn; w: [nIn × cols] row-major; z: rows of {@code cols}
     * (a whole pass's, from t·batch·cols, or a ring of {@code STEPS_PER_PROJECTION} steps, from 0).
     */
    static void projectAhead(
            Sgemm sgemm, int t, int steps, int batch, float[] x, int nIn, float[] w, int cols, float[] z, int zOff) {
        if (t % STEPS_PER_PROJECTION != 0) {
            return;
        }
        int rows = Math.min(STEPS_PER_PROJECTION, steps - t) * batch;
        sgemm.productInto(
                Sgemm.Block.of(x, t * batch * nIn, nIn, rows, nIn),
                false,
                Sgemm.Block.of(w, nIn, cols),
                false,
                z,
                zOff);
    }

    /**
     * Backprop's products over all steps for a recurrent layer with parameters W [nIn, width], RW [units, width]
     * and b (keys in that order): from dz, the gradients of the pre-activations x·W + b, and dzRec, those of
     * h·RW (the same array where both sit in one sum, as in an LSTM), all time-major rows, and the bias gradient
     * the loop summed step by step, the parameter gradients (written into the layer's gradient views) and dZ·Wᵀ,
     * the gradient to the layer below as DL4J's [batch, nIn, time] in the network's type. Each operand goes to
     * native memory once for all the products that read it.
     */
    static Pair<Gradient, INDArray> gradients(
            Sgemm sgemm,
            float[] dz,
            float[] dzRec,
            float[] biasGradient,
            int width,
            float[] x,
            float[] h,
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
        // Step t's recurrent input is the state of step t-1: rows 0 .. T-2 of h against rows 1 .. T-1 of dzRec.
        int later = rows - batch;
        sgemm.hold(0, dz);
        int rec = dzRec == dz ? 0 : 1;
        sgemm.hold(rec, dzRec);
        wg.assign(Rows.matrix(
                sgemm.product(
                        Sgemm.Block.of(x, rows, nIn),
                        true,
                        Sgemm.Block.of(dz, rows, width).in(0),
                        false),
                nIn,
                width));
        rwg.assign(Rows.matrix(
                sgemm.product(
                        Sgemm.Block.of(h, 0, units, later, units),
                        true,
                        Sgemm.Block.of(dzRec, batch * width, width, later, width)
                                .in(rec),
                        false),
                units,
                width));
        float[] dx = sgemm.product(
                Sgemm.Block.of(dz, rows, width).in(0), false, Sgemm.Block.of(Rows.rowMajor(w), nIn, width), true);
        bg.assign(Rows.matrix(biasGradient, 1, biasGradient.length).reshape(bg.shape()));
        Gradient g = new DefaultGradient(flattened);
        g.gradientForVariable().put(keys[0], wg);
        g.gradientForVariable().put(keys[1], rwg);
        g.gradientForVariable().put(keys[2], bg);

        return new Pair<>(g, Rows.toNcw(dx, steps, batch, nIn, type, mgr, ArrayType.ACTIVATION_GRAD));
    }
}
