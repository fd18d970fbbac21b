package org.rnnlab.engine;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.cblas_dgemm;
import static org.bytedeco.openblas.global.openblas.cblas_sgemm;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The memory of a prediction loop, kept native and in the network's own type (float or double): the
 * products read each step's inputs in place from the layer's input array and write the outputs straight
 * into the array the layer returns, so a whole sequence is never copied; only one step's block at a time
 * comes to Java for the nonlinearities.
 */
final class NativeSteps implements AutoCloseable {

    private final DataType type;
    private final INDArray source;
    private final Pointer x;
    private final boolean xTransposed;
    private final int ldx;
    private final long xStep;
    private final int batch;
    private final int features;
    private final int steps;
    private final int units;
    private final boolean reversed;
    private final INDArray out;
    private final Pointer o;
    private final Pointer previous;
    private final List<Pointer> owned = new ArrayList<>();
    private float[] floats = new float[0];

    /**
     * Prepares a loop over {@code ncw} ([batch, features, time]) whose outputs have {@code units} features:
     * the returned array is allocated in the given workspace in the network's type. {@code reversed}: the loop's
     * step t reads the input's step T−1−t (a bidirectional layer's backward half), without a reversed copy.
     */
    NativeSteps(INDArray ncw, int units, boolean reversed, DataType type, LayerWorkspaceMgr mgr) {
        this.type = type;
        this.reversed = reversed;
        INDArray in = ncw;
        if (in.dataType() != type || in.offset() != 0 || (in.stride(1) != 1 && in.stride(0) != 1)) {
            // A time-major copy in the layer's working memory (reused from batch to batch, not left to the GC).
            INDArray timeMajor = mgr.createUninitialized(
                    ArrayType.FF_WORKING_MEM, type, new long[] {in.size(2), in.size(0), in.size(1)}, 'c');
            timeMajor.assign(in.permute(2, 0, 1));
            in = timeMajor.permute(1, 2, 0);
        }
        this.source = in;
        this.batch = (int) in.size(0);
        this.features = (int) in.size(1);
        this.steps = (int) in.size(2);
        this.units = units;
        this.xTransposed = in.stride(1) != 1; // stored as [features × batch] at each step
        this.ldx = (int) (xTransposed ? in.stride(1) : in.stride(0));
        this.xStep = in.stride(2);
        this.x = typed(in.data().addressPointer());
        this.out = mgr.createUninitialized(ArrayType.ACTIVATIONS, type, new long[] {steps, batch, units}, 'c');
        this.o = typed(out.data().addressPointer());
        this.previous = typed(out.data().addressPointer());
    }

    int batch() {
        return batch;
    }

    int steps() {
        return steps;
    }

    /** The outputs as DL4J's [batch, units, time], a view of the time-major array the loop wrote. */
    INDArray result() {
        return out.permute(1, 2, 0);
    }

    /** Where step t's outputs start in {@link #output()}: a row-major [batch × units] block. */
    long outputOffset(int t) {
        return (long) t * batch * units;
    }

    Pointer output() {
        return o;
    }

    /** A native copy of a row-major matrix (weights), in the network's type, freed with this object. */
    Pointer matrix(double[] rowMajor) {
        Pointer p = scratch(rowMajor.length);
        put(rowMajor, 0, p, 0, rowMajor.length);
        return p;
    }

    /** Native scratch memory for {@code len} values, freed with this object. */
    Pointer scratch(int len) {
        Pointer p = type == DataType.FLOAT ? new FloatPointer((long) len) : new DoublePointer((long) len);
        owned.add(p);
        return p;
    }

    /** c[batch × cols] (at {@code cOff}, rows {@code ldc} apart) = x_t·w + beta·c (x_t: the loop's step t), w [features × cols] row-major. */
    void inputProduct(int t, Pointer w, int cols, Pointer c, long cOff, int ldc, double beta) {
        long step = reversed ? steps - 1 - t : t;
        gemm(xTransposed, batch, cols, features, x, step * xStep, ldx, w, cols, c, cOff, ldc, beta);
    }

    /** A second pointer to the outputs, for products that read one step's outputs while writing another's. */
    Pointer previousOutput() {
        return previous;
    }

    /** c[rows × cols] = a[rows × k]·b[k × cols] + beta·c, all row-major and contiguous, a and c from the given offsets. */
    void product(Pointer a, long aOff, int rows, int k, Pointer b, int cols, Pointer c, long cOff, double beta) {
        gemm(false, rows, cols, k, a, aOff, k, b, cols, c, cOff, cols, beta);
    }

    private void gemm(
            boolean transA,
            int m,
            int n,
            int k,
            Pointer a,
            long aOff,
            int lda,
            Pointer b,
            int ldb,
            Pointer c,
            long cOff,
            int ldc,
            double beta) {
        if (a == c) {
            throw new IllegalArgumentException("a product's factor and result need distinct pointers");
        }
        int ta = transA ? CblasTrans : CblasNoTrans;
        a.position(aOff);
        b.position(0);
        c.position(cOff);
        if (type == DataType.FLOAT) {
            cblas_sgemm(
                    CblasRowMajor,
                    ta,
                    CblasNoTrans,
                    m,
                    n,
                    k,
                    1f,
                    (FloatPointer) a,
                    lda,
                    (FloatPointer) b,
                    ldb,
                    (float) beta,
                    (FloatPointer) c,
                    ldc);
        } else {
            cblas_dgemm(
                    CblasRowMajor,
                    ta,
                    CblasNoTrans,
                    m,
                    n,
                    k,
                    1.0,
                    (DoublePointer) a,
                    lda,
                    (DoublePointer) b,
                    ldb,
                    beta,
                    (DoublePointer) c,
                    ldc);
        }
    }

    /** Copies {@code len} values from native memory (at {@code off}) into {@code dst} as doubles. */
    void get(Pointer p, long off, double[] dst, int dOff, int len) {
        if (type == DataType.FLOAT) {
            float[] f = floats(len);
            ((FloatPointer) p).position(off).get(f, 0, len);
            for (int i = 0; i < len; i++) {
                dst[dOff + i] = f[i];
            }
        } else {
            ((DoublePointer) p).position(off).get(dst, dOff, len);
        }
    }

    /** Copies {@code len} doubles from {@code src} into native memory (at {@code off}), in the network's type. */
    void put(double[] src, int sOff, Pointer p, long off, int len) {
        if (type == DataType.FLOAT) {
            float[] f = floats(len);
            for (int i = 0; i < len; i++) {
                f[i] = (float) src[sOff + i];
            }
            ((FloatPointer) p).position(off).put(f, 0, len);
        } else {
            ((DoublePointer) p).position(off).put(src, sOff, len);
        }
    }

    /** The network's pointer type over the same memory (a view of an ND4J buffer: no deallocator of its own). */
    private Pointer typed(Pointer p) {
        return type == DataType.FLOAT ? new FloatPointer(p) : new DoublePointer(p);
    }

    private float[] floats(int len) {
        if (floats.length < len) {
            floats = new float[len];
        }
        return floats;
    }

    @Override
    public void close() {
        owned.forEach(Pointer::close);
        owned.clear();
    }
}
