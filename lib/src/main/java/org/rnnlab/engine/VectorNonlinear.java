package org.rnnlab.engine;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link Nonlinear}'s SIMD implementation; loaded only when the JVM has the Vector API module. */
final class VectorNonlinear {

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    private VectorNonlinear() {}

    static void sigmoid(double[] a, int off, int len) {
        int i = off;
        for (int end = off + S.loopBound(len); i < end; i += S.length()) {
            DoubleVector e = DoubleVector.fromArray(S, a, i).neg().lanewise(VectorOperators.EXP);
            DoubleVector.broadcast(S, 1.0).div(e.add(1.0)).intoArray(a, i);
        }
        Nonlinear.scalarSigmoid(a, i, off + len - i);
    }

    static void tanh(double[] src, int sOff, double[] dst, int dOff, int len) {
        int i = 0;
        for (int end = S.loopBound(len); i < end; i += S.length()) {
            DoubleVector.fromArray(S, src, sOff + i)
                    .lanewise(VectorOperators.TANH)
                    .intoArray(dst, dOff + i);
        }
        Nonlinear.scalarTanh(src, sOff + i, dst, dOff + i, len - i);
    }
}
