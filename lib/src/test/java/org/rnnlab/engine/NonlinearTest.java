package org.rnnlab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The SIMD and the one-at-a-time nonlinearities agree to float rounding, on odd lengths and offsets and in the tails. */
class NonlinearTest {

    private static float[] values() {
        Random r = new Random(11);
        float[] v = new float[203];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * 4);
        }
        float[] special = {0f, -0f, 1e-9f, -3e-7f, 2e-5f, 9.9f, 10.1f, -10.1f, 40, -40, 800, -800};
        System.arraycopy(special, 0, v, 100, special.length);
        return v;
    }

    @Test
    void theTestsRunTheVectorisedPath() {
        assertTrue(Nonlinear.VECTOR, "surefire's argLine should add the jdk.incubator.vector module");
    }

    @Test
    void vectorAndScalarSigmoidAgree() {
        float[] v = values();
        float[] a = v.clone();
        float[] b = v.clone();
        VectorNonlinear.sigmoid(a, 3, 190);
        Nonlinear.scalarSigmoid(b, 3, 190);
        for (int i = 0; i < v.length; i++) {
            assertEquals(b[i], a[i], 2e-7f, "at " + i + " (x = " + v[i] + ")");
        }
        assertEquals(v[2], a[2], 0f, "values before the run are left alone");
        assertEquals(v[193], a[193], 0f, "values after the run are left alone");
    }

    @Test
    void vectorAndScalarTanhAgree() {
        float[] v = values();
        float[] a = new float[v.length];
        float[] b = new float[v.length];
        VectorNonlinear.tanh(v, 1, a, 5, 197);
        Nonlinear.scalarTanh(v, 1, b, 5, 197);
        for (int i = 0; i < v.length; i++) {
            assertEquals(b[i], a[i], 2e-7f, "at " + i);
            assertEquals(Math.tanh(i >= 5 && i < 202 ? v[i - 4] : 0.0), a[i], 2e-7, "tanh at " + i);
        }
    }
}
