package org.rnnlab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The SIMD and the one-at-a-time nonlinearities agree, on odd lengths and offsets and in the tails. */
class NonlinearTest {

    private static double[] values() {
        Random r = new Random(11);
        double[] v = new double[203];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian() * 4;
        }
        double[] special = {0.0, -0.0, 1e-9, -3e-7, 2e-5, 19.9, 20.1, -20.1, 40, -40, 800, -800};
        System.arraycopy(special, 0, v, 100, special.length);
        return v;
    }

    @Test
    void theTestsRunTheVectorisedPath() {
        assertTrue(Nonlinear.VECTOR, "surefire's argLine should add the jdk.incubator.vector module");
    }

    @Test
    void vectorAndScalarSigmoidAgree() {
        double[] v = values();
        double[] a = v.clone();
        double[] b = v.clone();
        VectorNonlinear.sigmoid(a, 3, 190);
        Nonlinear.scalarSigmoid(b, 3, 190);
        for (int i = 0; i < v.length; i++) {
            assertEquals(b[i], a[i], 1e-15, "at " + i + " (x = " + v[i] + ")");
        }
        assertEquals(v[2], a[2], 0.0, "values before the run are left alone");
        assertEquals(v[193], a[193], 0.0, "values after the run are left alone");
    }

    @Test
    void vectorAndScalarTanhAgree() {
        double[] v = values();
        double[] a = new double[v.length];
        double[] b = new double[v.length];
        VectorNonlinear.tanh(v, 1, a, 5, 197);
        Nonlinear.scalarTanh(v, 1, b, 5, 197);
        for (int i = 0; i < v.length; i++) {
            assertEquals(b[i], a[i], 1e-15, "at " + i);
            assertEquals(Math.tanh(i >= 5 && i < 202 ? v[i - 4] : 0.0), a[i], 1e-15, "tanh at " + i);
        }
    }
}
