package org.rnnlab.engine;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.Arrays;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The engine's one way between ND4J arrays and the single-precision Java arrays its loops work on:
 * a layer's sequence, DL4J's [batch, features, time] in whatever order and strides it arrives, becomes
 * time-major rows (row t·batch + i holds example i at step t), read from its buffer in one native
 * copy and reordered in one pass; parameters become row-major matrices; and back.
 */
final class Rows {

    private Rows() {}

    /** [batch, features, time] as time-major rows [time·batch, features]. */
    static float[] timeMajor(INDArray ncw) {
        return timeMajor(ncw, false);
    }

    /** As {@link #timeMajor(INDArray)}, with the time axis read backwards when {@code reversed}. */
    static float[] timeMajor(INDArray ncw, boolean reversed) {
        return timeMajor(ncw, reversed, null, null);
    }

    /**
     * As {@link #timeMajor(INDArray, boolean)}, into {@code scratch}'s array {@code name} where a scratch is given
     * (and its native values read into another of its arrays).
     */
    static float[] timeMajor(INDArray ncw, boolean reversed, Scratch scratch, String name) {
        INDArray src = readable(ncw) ? ncw : ncw.castTo(DataType.FLOAT).dup('c');
        int batch = (int) src.size(0);
        int features = (int) src.size(1);
        int steps = (int) src.size(2);
        int sb = (int) src.stride(0);
        int sf = (int) src.stride(1);
        int st = (int) src.stride(2);
        int length = batch * features * steps;
        float[] rows = scratch == null ? new float[length] : scratch.of(name, length);
        FloatPointer values = new FloatPointer(src.data().addressPointer());
        if (!reversed && stepByStep(src)) {
            values.get(rows, 0, length); // already time-major (a fast layer's output): one copy
            return rows;
        }
        float[] buffer = stored(src, scratch, name).values();
        if (st >= sb) {
            // Time outermost in memory (DL4J's 'f' order, a permuted time-major array): step by step, each step's
            // [batch × features] block stays in cache while it is read.
            for (int t = 0; t < steps; t++) {
                int step = (reversed ? steps - 1 - t : t) * st;
                for (int b = 0; b < batch; b++) {
                    copy(buffer, step + b * sb, sf, rows, (t * batch + b) * features, features);
                }
            }
            return rows;
        }
        // Example by example ('c' order): one example's [features × time] block stays in cache while it is read.
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                copy(
                        buffer,
                        b * sb + (reversed ? steps - 1 - t : t) * st,
                        sf,
                        rows,
                        (t * batch + b) * features,
                        features);
            }
        }
        return rows;
    }

    /**
     * Whether a rank-3 float array [batch, features, time] lies step by step ([time, batch, features] in memory, a
     * fast layer's output) from its buffer's start: its values are then time-major rows as they stand.
     */
    static boolean stepByStep(INDArray a) {
        if (a == null || a.rank() != 3 || a.dataType() != DataType.FLOAT || a.offset() != 0) {
            return false;
        }
        long batch = a.size(0);
        long features = a.size(1);
        return (a.stride(1) == 1 || features == 1)
                && (a.stride(0) == features || batch == 1)
                && (a.stride(2) == batch * features || a.size(2) == 1)
                && a.data().length() >= a.length();
    }

    /** A rank-3 array's values as it stores them, and its strides: for a loop that reads the array in place. */
    record Stored(float[] values, int stride0, int stride1, int stride2) {}

    /** {@code a}'s values as stored (one native copy, into {@code scratch}'s array named after {@code name} where given). */
    static Stored stored(INDArray a, Scratch scratch, String name) {
        INDArray src = readable(a) ? a : a.castTo(DataType.FLOAT).dup('c');
        int span = Math.toIntExact(span(src));
        float[] values = scratch == null ? new float[span] : scratch.of(name + " (as stored)", span);
        new FloatPointer(src.data().addressPointer()).get(values, 0, span);
        return new Stored(values, (int) src.stride(0), (int) src.stride(1), (int) src.stride(2));
    }

    private static void copy(float[] from, int off, int stride, float[] to, int at, int count) {
        if (stride == 1) {
            System.arraycopy(from, off, to, at, count);
            return;
        }
        for (int j = 0; j < count; j++) {
            to[at + j] = from[off + j * stride];
        }
    }

    /** A matrix (parameters, indices) of any order and type as row-major floats. */
    static float[] rowMajor(INDArray m) {
        INDArray src = m.dataType() == DataType.FLOAT ? m : m.castTo(DataType.FLOAT);
        if (!contiguous(src)) {
            src = src.dup('c');
        }
        float[] out = new float[Math.toIntExact(src.length())];
        new FloatPointer(src.data().addressPointer()).get(out, 0, out.length);
        return out;
    }

    /** A row-major matrix as a float array (the parameter-sized results assigned to gradient views). */
    static INDArray matrix(float[] v, long rows, long cols) {
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, new long[] {rows, cols}, 'c');
        new FloatPointer(out.data().addressPointer()).put(v, 0, v.length);
        return out;
    }

    /**
     * target = the row-major matrix {@code m} [rows × cols], written straight into target's buffer where target is a
     * float matrix lying in it without gaps in either order (a layer's gradient view, 'f' order in DL4J): one native
     * copy, the 'f' case transposed in {@code scratch} first. Other targets take ND4J's {@code assign}.
     */
    static void assign(float[] m, int rows, int cols, INDArray target, Scratch scratch) {
        boolean c = target.stride(0) == cols && target.stride(1) == 1;
        boolean f = target.stride(0) == 1 && target.stride(1) == rows;
        if (target.dataType() != DataType.FLOAT
                || target.rank() != 2
                || target.size(0) != rows
                || target.size(1) != cols
                || !(c || f)
                || target.offset() + (long) rows * cols > target.data().length()) {
            target.assign(matrix(m, rows, cols));
            return;
        }
        float[] values = m;
        if (!c) {
            values = scratch.of("column-major", rows * cols);
            LoopMath.transposeInto(m, 0, cols, rows, cols, values);
        }
        FloatPointer at = new FloatPointer(target.data().addressPointer()).position(target.offset());
        at.put(values, 0, rows * cols);
    }

    /**
     * Time-major rows back to DL4J's [batch, features, time], in the network's type and the given workspace: a
     * view of a [time, batch, features] array holding the rows as they are, so the move is one native copy.
     */
    static INDArray toNcw(
            float[] rows, int steps, int batch, int features, DataType type, LayerWorkspaceMgr mgr, ArrayType kind) {
        long[] shape = {steps, batch, features};
        INDArray out = mgr == null
                ? Nd4j.createUninitialized(DataType.FLOAT, shape, 'c')
                : mgr.createUninitialized(kind, DataType.FLOAT, shape, 'c');
        new FloatPointer(out.data().addressPointer()).put(rows, 0, rows.length);
        INDArray typed = type == DataType.FLOAT ? out : out.castTo(type);
        return typed.permute(1, 2, 0);
    }

    /** [batch, features, time] with the time axis reversed: a new array of the same type, outside any workspace. */
    static INDArray reverseTime(INDArray ncw) {
        int batch = (int) ncw.size(0);
        int features = (int) ncw.size(1);
        int steps = (int) ncw.size(2);
        if (ncw.dataType() == DataType.FLOAT) {
            float[] rows = timeMajor(ncw, true);
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                return toNcw(rows, steps, batch, features, DataType.FLOAT, null, null);
            }
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray out = Nd4j.createUninitialized(ncw.dataType(), new long[] {batch, features, steps}, 'c');
            for (int t = 0; t < steps; t++) {
                out.get(all(), all(), point(steps - 1 - t)).assign(ncw.get(all(), all(), point(t)));
            }
            return out;
        }
    }

    /**
     * a += b with b's time axis reversed, both [batch, features, time]: the input gradient of a bidirectional layer's
     * two directions. Where both lie step by step (the engine's layers return them so), one pass over copies of
     * their buffers; ND4J's own add of such permuted arrays took 10 ms a batch in 6.04. Otherwise ND4J's add of
     * {@link #reverseTime}. Returns a.
     */
    static INDArray addReversed(INDArray a, INDArray b) {
        if (!stepByStep(a) || !stepByStep(b) || !Arrays.equals(a.shape(), b.shape())) {
            return a.addi(reverseTime(b));
        }
        int block = (int) (a.size(0) * a.size(1));
        int steps = (int) a.size(2);
        float[] sum = timeMajor(a, false);
        float[] other = timeMajor(b, false);
        for (int t = 0; t < steps; t++) {
            int at = t * block;
            int from = (steps - 1 - t) * block;
            for (int j = 0; j < block; j++) {
                sum[at + j] += other[from + j];
            }
        }
        new FloatPointer(a.data().addressPointer()).put(sum, 0, sum.length);
        return a;
    }

    /** Whether a rank-3 array can be read straight from its float buffer: no offset, no negative strides, few gaps. */
    private static boolean readable(INDArray a) {
        if (a.dataType() != DataType.FLOAT || a.offset() != 0) {
            return false;
        }
        long span = span(a);
        return span <= 2 * a.length() && span <= a.data().length();
    }

    private static long span(INDArray a) {
        long span = 1;
        for (int d = 0; d < a.rank(); d++) {
            if (a.stride(d) < 0) {
                return Long.MAX_VALUE;
            }
            span += (a.size(d) - 1) * a.stride(d);
        }
        return span;
    }

    /** Whether {@code a} lies in its buffer from its start in C order without gaps. */
    private static boolean contiguous(INDArray a) {
        if (a.offset() != 0 || a.data().length() < a.length()) {
            return false;
        }
        long[] shape = a.shape();
        long[] stride = a.stride();
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }
}
