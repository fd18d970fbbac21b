package org.rnnlab.engine;

/**
 * The cells' nonlinearities over runs of a float array, the costliest part of a step: vectorised
 * with the JDK's Vector API (SIMD exp and tanh) when the JVM was started with {@code --add-modules
 * jdk.incubator.vector}, as this project's kernel, tests and benchmark are; one value at a time
 * otherwise (any other Java kernel), with the same results to a few float ulps.
 */
final class Nonlinear {

    /** Whether the Vector API is available to this JVM (decided once, at start-up). */
    static final boolean VECTOR =
            ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private Nonlinear() {}

    /** a[off .. off+len) = σ(a[off .. off+len)). */
    static void sigmoid(float[] a, int off, int len) {
        if (VECTOR) {
            VectorNonlinear.sigmoid(a, off, len);
        } else {
            scalarSigmoid(a, off, len);
        }
    }

    /** dst[dOff ..] = tanh(src[sOff ..]) for {@code len} values (src and dst may be the same run). */
    static void tanh(float[] src, int sOff, float[] dst, int dOff, int len) {
        if (VECTOR) {
            VectorNonlinear.tanh(src, sOff, dst, dOff, len);
        } else {
            scalarTanh(src, sOff, dst, dOff, len);
        }
    }

    static void scalarSigmoid(float[] a, int off, int len) {
        for (int i = off; i < off + len; i++) {
            a[i] = (float) (1.0 / (1.0 + Math.exp(-a[i])));
        }
    }

    static void scalarTanh(float[] src, int sOff, float[] dst, int dOff, int len) {
        for (int i = 0; i < len; i++) {
            dst[dOff + i] = (float) Math.tanh(src[sOff + i]);
        }
    }
}
