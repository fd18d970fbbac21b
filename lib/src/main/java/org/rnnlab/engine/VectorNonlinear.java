package org.rnnlab.engine;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link Nonlinear}'s SIMD implementation; loaded only when the JVM has the Vector API module. */
final class VectorNonlinear {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorNonlinear() {}

    static void sigmoid(float[] a, int off, int len) {
        int i = off;
        for (int end = off + S.loopBound(len); i < end; i += S.length()) {
            sigmoid(FloatVector.fromArray(S, a, i)).intoArray(a, i);
        }
        Nonlinear.scalarSigmoid(a, i, off + len - i);
    }

    /** σ(v) = 1 / (1 + exp(−v)), lane by lane. */
    static FloatVector sigmoid(FloatVector v) {
        return FloatVector.broadcast(v.species(), 1f)
                .div(v.neg().lanewise(VectorOperators.EXP).add(1f));
    }

    static void tanh(float[] src, int sOff, float[] dst, int dOff, int len) {
        int i = 0;
        for (int end = S.loopBound(len); i < end; i += S.length()) {
            FloatVector.fromArray(S, src, sOff + i)
                    .lanewise(VectorOperators.TANH)
                    .intoArray(dst, dOff + i);
        }
        Nonlinear.scalarTanh(src, sOff + i, dst, dOff + i, len - i);
    }
}
