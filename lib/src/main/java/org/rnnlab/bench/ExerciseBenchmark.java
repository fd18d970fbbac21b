package org.rnnlab.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.rnnlab.Mode;
import org.rnnlab.data.SyntheticImdb;
import org.rnnlab.engine.Cores;
import org.rnnlab.grade.ExerciseSpec;
import org.rnnlab.grade.Grader;
import org.rnnlab.grade.ReferenceModels;
import org.rnnlab.train.History;
import org.rnnlab.train.Predictor;
import org.rnnlab.train.Trainer;

/**
 * Times one sentiment exercise's network (built as its notebook builds it, run as the {@code Trainer} runs
 * it) on IMDB-shaped synthetic data of the exercise's vocabulary, length and batch size: training seconds
 * per epoch (20,000 sequences, extrapolated from the batches run), inference seconds for 25,000 sequences,
 * and the process's peak memory, with the course's {@code Trainer} on as many threads as it uses ({@code Cores}).
 * Prints one JSON line; {@code ./lab bench} runs it beside the same network in
 * PyTorch and Keras (tools/bench.py). An optional fourth argument names a setting other than the notebooks'
 * (the report then does not take it for DL4J's figure).
 *
 * <pre>{@code java ... org.rnnlab.bench.ExerciseBenchmark 6.02 157 25000}</pre>
 */
public final class ExerciseBenchmark {

    static final int TRAIN_SAMPLES = 20_000;
    static final int INFERENCE = 25_000;

    private ExerciseBenchmark() {}

    /** Arguments: exercise id, training batches to time (default a whole epoch), sequences to predict (default 25,000), setting. */
    public static void main(String[] args) throws IOException {
        String id = args.length > 0 ? args[0] : "6.01";
        ExerciseSpec spec = Grader.exercise(id);
        int batch = spec.batchSize();
        int epochBatches = (TRAIN_SAMPLES + batch - 1) / batch;
        int vocabulary = (int) spec.layers().get(0).nIn();
        int batches = args.length > 1 ? Integer.parseInt(args[1]) : epochBatches;
        int inference = args.length > 2 ? Integer.parseInt(args[2]) : INFERENCE;
        String setting = args.length > 3 ? args[3] : "";
        MultiLayerNetwork model = ReferenceModels.build(id, 42);
        Random r = new Random(42);
        trainer(model, batch)
                .fit(SyntheticImdb.reviews(
                        2 * batch, ReferenceModels.MAX_LEN, vocabulary, r)); // warm-up: JIT, workspaces
        History timed = trainer(model, batch)
                .fit(SyntheticImdb.reviews(batches * batch, ReferenceModels.MAX_LEN, vocabulary, r));
        double perBatch = timed.totalSeconds() / batches;

        int[][] sequences = SyntheticImdb.sequences(inference, ReferenceModels.MAX_LEN, vocabulary, r);
        Predictor.predict(model, java.util.Arrays.copyOf(sequences, Math.min(512, inference))); // warm-up
        long start = System.nanoTime();
        Predictor.predict(model, sequences);
        double inferSeconds = (System.nanoTime() - start) / 1e9 * INFERENCE / inference;

        String threads = String.valueOf(Cores.threads());
        String blas = "OpenBLAS (ND4J's), core " + System.getenv().getOrDefault("RNNLAB_OPENBLAS_CORE", "?")
                + ", OPENBLAS_CORETYPE " + System.getenv().getOrDefault("OPENBLAS_CORETYPE", "unset");
        System.out.println(String.format(
                Locale.ROOT,
                "{\"framework\": \"DL4J%s\", \"asNotebooks\": %b, \"exercise\": \"%s\", \"threads\": \"%s\","
                        + " \"params\": %d, \"batches\": %d, \"trainSecondsPerEpoch\": %.2f, \"inferSeconds25k\": %.2f,"
                        + " \"peakMemoryMB\": %d, \"blas\": \"%s\"}",
                setting.isEmpty() ? "" : " (" + setting + ")",
                setting.isEmpty(),
                id,
                threads,
                model.numParams(),
                batches,
                perBatch * epochBatches,
                inferSeconds,
                peakRssMb(),
                blas));
    }
    /** A Trainer as the notebooks' (one epoch, the exercise's batch size), silent. */
    private static Trainer trainer(MultiLayerNetwork model, int batch) {
        return Trainer.of(model)
                .epochs(1)
                .batchSize(batch)
                .mode(Mode.FULL)
                .runSeed(null)
                .shuffleSeed(1L)
                .verbose(0)
                .output(new PrintStream(OutputStream.nullOutputStream()));
    }

    /** The process's peak resident memory (VmHWM), in MB; -1 where /proc is missing. */
    static long peakRssMb() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }
}
