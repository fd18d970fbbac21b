package org.rnnlab.engine;

/**
 * The cells' nonlinearities over runs of an array, the costliest part of a step: vectorised with
 * the JDK's Vector API (SIMD exp and tanh, accurate to an ulp) when the JVM was started with
 * {@code --add-modules jdk.incubator.vector}, as this project's kernel, tests and benchmark are;
 * one value at a time otherwise (any other Java kernel), with the same results to rounding.
 */
final class Nonlinear {

    /** Whether the Vector API is available to this JVM (decided once, at start-up). */
    static final boolean VECTOR =
            ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private Nonlinear() {}

    /** a[off .. off+len) = σ(a[off .. off+len)). */
    static void sigmoid(double[] a, int off, int len) {
        if (VECTOR) {
            VectorNonlinear.sigmoid(a, off, len);
        } else {
            scalarSigmoid(a, off, len);
        }
    }

    /** dst[dOff ..] = tanh(src[sOff ..]) for {@code len} values (src and dst may be the same run). */
    static void tanh(double[] src, int sOff, double[] dst, int dOff, int len) {
        if (VECTOR) {
            VectorNonlinear.tanh(src, sOff, dst, dOff, len);
        } else {
            scalarTanh(src, sOff, dst, dOff, len);
        }
    }

    static void scalarSigmoid(double[] a, int off, int len) {
        for (int i = off; i < off + len; i++) {
            a[i] = LoopMath.sigmoid(a[i]);
        }
    }

    static void scalarTanh(double[] src, int sOff, double[] dst, int dOff, int len) {
        for (int i = 0; i < len; i++) {
            dst[dOff + i] = LoopMath.tanh(src[sOff + i]);
        }
    }
}
