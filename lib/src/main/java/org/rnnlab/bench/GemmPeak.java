package org.rnnlab.bench;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.cblas_dgemm;
import static org.bytedeco.openblas.global.openblas.cblas_sgemm;

import java.util.Locale;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the machine's BLAS gives this library on one thread: the OpenBLAS that ND4J ships (the core type it
 * chose for this CPU, as {@code ./lab bench} read it from OpenBLAS' verbose start-up line, passed in
 * {@code RNNLAB_OPENBLAS_CORE}), and the GFLOP/s of a large single- and double-precision matrix
 * product (the machine's practical single-core peak) and of the small per-step product of the exercise
 * models (128 × 32 by 32 × 128). Prints one JSON line for {@code ./lab bench}.
 */
public final class GemmPeak {

    private GemmPeak() {}

    /** Prints the JSON line; an argument names the setting measured (e.g. "OPENBLAS_CORETYPE unset"). */
    public static void main(String[] args) {
        String setting = args.length > 0 && !args[0].isBlank() ? " (" + args[0] + ")" : "";
        Nd4j.create(1); // loads ND4J's native libraries, OpenBLAS among them
        openblas.blas_set_num_threads(1);
        String core = System.getenv().getOrDefault("RNNLAB_OPENBLAS_CORE", "");
        String blasVendor =
                String.valueOf(Nd4j.getExecutioner().getEnvironmentInformation().getProperty("blas.vendor"));
        System.out.println(String.format(
                Locale.ROOT,
                "{\"framework\": \"DL4J BLAS%s\", \"blas\": \"%s\", \"openblasCore\": \"%s\","
                        + " \"sgemmLargeGflops\": %.1f, \"dgemmLargeGflops\": %.1f, \"sgemmStepGflops\": %.1f,"
                        + " \"dgemmStepGflops\": %.1f}",
                setting,
                blasVendor,
                core,
                sgemm(1024, 1024, 1024, 2.0),
                dgemm(1024, 1024, 1024, 2.0),
                sgemm(128, 32, 128, 1.0),
                dgemm(128, 32, 128, 1.0)));
    }

    /** GFLOP/s of C[m×n] += A[m×k]·B[k×n] in single precision, repeated for about {@code seconds}. */
    static double sgemm(int m, int k, int n, double seconds) {
        try (FloatPointer a = new FloatPointer((long) m * k);
                FloatPointer b = new FloatPointer((long) k * n);
                FloatPointer c = new FloatPointer((long) m * n)) {
            fill(a, m * k);
            fill(b, k * n);
            Runnable op =
                    () -> cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1f, a, k, b, n, 0f, c, n);
            return rate(op, 2.0 * m * k * n, seconds);
        }
    }

    /** As {@link #sgemm}, in double precision. */
    static double dgemm(int m, int k, int n, double seconds) {
        try (DoublePointer a = new DoublePointer((long) m * k);
                DoublePointer b = new DoublePointer((long) k * n);
                DoublePointer c = new DoublePointer((long) m * n)) {
            for (long i = 0; i < (long) m * k; i++) {
                a.put(i, (i % 7) * 0.1);
            }
            for (long i = 0; i < (long) k * n; i++) {
                b.put(i, (i % 5) * 0.1);
            }
            Runnable op = () -> cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1, a, k, b, n, 0, c, n);
            return rate(op, 2.0 * m * k * n, seconds);
        }
    }

    private static void fill(FloatPointer p, long n) {
        for (long i = 0; i < n; i++) {
            p.put(i, (i % 7) * 0.1f);
        }
    }

    /** Best GFLOP/s over rounds of repeated calls (after a warm-up), each round about a tenth of the time. */
    private static double rate(Runnable op, double flops, double seconds) {
        for (int i = 0; i < 3; i++) {
            op.run();
        }
        long t0 = System.nanoTime();
        op.run();
        double once = Math.max((System.nanoTime() - t0) / 1e9, 1e-7);
        int perRound = (int) Math.max(1, seconds / 10 / once);
        double best = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            long start = System.nanoTime();
            for (int i = 0; i < perRound; i++) {
                op.run();
            }
            double s = (System.nanoTime() - start) / 1e9;
            best = Math.max(best, flops * perRound / s / 1e9);
        }
        return best;
    }
}
