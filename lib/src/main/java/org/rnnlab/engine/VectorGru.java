package org.rnnlab.engine;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The element-wise half of a backward step of the GRU with the reset gate before the product (Keras'
 * {@code reset_after=False}, {@link GruLoop}) in SIMD registers, a vector's width of units at a time, with the
 * flush of negligible values ({@link LoopMath#zeroNegligible}) and the bias gradient's sums done on the way
 * instead of in passes of their own. Loaded only when the JVM has the Vector API ({@link Nonlinear#VECTOR}).
 */
final class VectorGru {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorGru() {}

    /** Whether layers of {@code units} units take this path: whole vectors of units. */
    static boolean fits(int units) {
        return units % S.length() == 0;
    }

    /**
     * Before the reset gate's product, for the rows of step t (from {@code row0}): the gradient reaching the
     * step's output (eps plus dh, the state's gradient from step t+1), the candidate's sum gradient into dA,
     * the update gate's into {@code dUpdate}, and in dh the part of the previous state's gradient that goes
     * through the update gate. {@code first}: step 0, whose previous state is zero.
     */
    static void outputs(
            float[] a,
            float[] h,
            float[] eps,
            float[] dh,
            float[] dA,
            float[] dUpdate,
            int row0,
            int batch,
            int n,
            boolean first) {
        int width = 3 * n;
        for (int i = 0; i < batch; i++) {
            int zo = (row0 + i) * width;
            int so = (row0 + i) * n;
            for (int k = 0; k < n; k += S.length()) {
                FloatVector hp = first ? FloatVector.zero(S) : FloatVector.fromArray(S, h, so - batch * n + k);
                FloatVector z = FloatVector.fromArray(S, a, zo + k);
                FloatVector cand = FloatVector.fromArray(S, a, zo + 2 * n + k);
                FloatVector dNew = FloatVector.fromArray(S, eps, so + k)
                        .add(negligibleToZero(FloatVector.fromArray(S, dh, i * n + k)));
                FloatVector keep = z.neg().add(1f);
                negligibleToZero(dNew.mul(hp.sub(cand)).mul(z).mul(keep)).intoArray(dUpdate, i * n + k);
                negligibleToZero(dNew.mul(keep).mul(cand.mul(cand).neg().add(1f)))
                        .intoArray(dA, zo + 2 * n + k);
                dNew.mul(z).intoArray(dh, i * n + k);
            }
        }
    }

    /**
     * After the reset gate's product ({@code dRh}, the gradient w.r.t. r ⊙ h_{t-1}): the update and reset gates'
     * sum gradients into dA, the previous state's gradient through the reset gate added to dh, and the step's
     * three blocks of dA added to the bias gradient (rows in order, as {@link LoopMath#addColumnSums} adds them).
     */
    static void gates(
            float[] a,
            float[] h,
            float[] dh,
            float[] dA,
            float[] dUpdate,
            float[] dRh,
            float[] bias,
            int row0,
            int batch,
            int n,
            boolean first) {
        int width = 3 * n;
        for (int k = 0; k < n; k += S.length()) {
            FloatVector sumZ = FloatVector.fromArray(S, bias, k);
            FloatVector sumR = FloatVector.fromArray(S, bias, n + k);
            FloatVector sumH = FloatVector.fromArray(S, bias, 2 * n + k);
            for (int i = 0; i < batch; i++) {
                int zo = (row0 + i) * width;
                int s = i * n + k;
                FloatVector hp =
                        first ? FloatVector.zero(S) : FloatVector.fromArray(S, h, (row0 + i) * n - batch * n + k);
                FloatVector r = FloatVector.fromArray(S, a, zo + n + k);
                FloatVector dR = FloatVector.fromArray(S, dRh, s);
                FloatVector dz = FloatVector.fromArray(S, dUpdate, s);
                FloatVector dr = negligibleToZero(dR.mul(hp).mul(r).mul(r.neg().add(1f)));
                dz.intoArray(dA, zo + k);
                dr.intoArray(dA, zo + n + k);
                FloatVector.fromArray(S, dh, s).add(dR.mul(r)).intoArray(dh, s);
                sumZ = sumZ.add(dz);
                sumR = sumR.add(dr);
                sumH = sumH.add(FloatVector.fromArray(S, dA, zo + 2 * n + k));
            }
            sumZ.intoArray(bias, k);
            sumR.intoArray(bias, n + k);
            sumH.intoArray(bias, 2 * n + k);
        }
    }

    private static FloatVector negligibleToZero(FloatVector v) {
        return VectorNonlinear.zeroBelow(v, LoopMath.NEGLIGIBLE);
    }
}
