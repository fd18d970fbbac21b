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
            FloatVector e = FloatVector.fromArray(S, a, i).neg().lanewise(VectorOperators.EXP);
            FloatVector.broadcast(S, 1f).div(e.add(1f)).intoArray(a, i);
        }
        Nonlinear.scalarSigmoid(a, i, off + len - i);
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
