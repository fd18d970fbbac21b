package org.rnnlab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.rnnlab.data.SyntheticImdb;
import org.rnnlab.engine.FastNetwork;
import org.rnnlab.grade.ReferenceModels;
import org.rnnlab.train.Predictor;

/**
 * Times one sentiment exercise's network (built as its notebook builds it) on IMDB-shaped synthetic
 * data: training seconds per epoch (20,000 sequences of 200 tokens, batches of 128, extrapolated
 * from the batches run), inference seconds for 25,000 sequences, and the process's peak memory.
 * Prints one JSON line; {@code ./lab bench} runs it beside the same model in PyTorch (tools/bench.py).
 *
 * <pre>{@code java ... org.rnnlab.bench.ExerciseBenchmark 6.02 157 25000}</pre>
 */
public final class ExerciseBenchmark {

    static final int VOCAB = 8000;
    static final int LENGTH = ReferenceModels.MAX_LEN;
    static final int BATCH = 128;
    static final int EPOCH_BATCHES = (20_000 + BATCH - 1) / BATCH;
    static final int INFERENCE = 25_000;

    private ExerciseBenchmark() {}

    /** Arguments: exercise id, training batches to time (default a whole epoch), sequences to predict (default 25,000). */
    public static void main(String[] args) throws IOException {
        String id = args.length > 0 ? args[0] : "6.01";
        int batches = args.length > 1 ? Integer.parseInt(args[1]) : EPOCH_BATCHES;
        int inference = args.length > 2 ? Integer.parseInt(args[2]) : INFERENCE;
        MultiLayerNetwork model = FastNetwork.of(ReferenceModels.build(id, 42)); // as the Trainer runs it
        Random r = new Random(42);
        List<DataSet> data = SyntheticImdb.batches(batches + 2, BATCH, LENGTH, VOCAB, r);
        model.fit(data.get(0)); // warm-up: JIT, workspaces
        model.fit(data.get(1));
        long start = System.nanoTime();
        for (int b = 2; b < data.size(); b++) {
            model.fit(data.get(b));
        }
        double perBatch = (System.nanoTime() - start) / 1e9 / batches;

        int[][] sequences = SyntheticImdb.sequences(inference, LENGTH, VOCAB, r);
        Predictor.predict(model, java.util.Arrays.copyOf(sequences, Math.min(512, inference))); // warm-up
        start = System.nanoTime();
        Predictor.predict(model, sequences);
        double inferSeconds = (System.nanoTime() - start) / 1e9 * INFERENCE / inference;

        System.out.println(String.format(
                Locale.ROOT,
                "{\"framework\": \"DL4J\", \"exercise\": \"%s\", \"params\": %d, "
                        + "\"batches\": %d, \"trainSecondsPerEpoch\": %.2f, \"inferSeconds25k\": %.2f, \"peakMemoryMB\": %d}",
                id,
                model.numParams(),
                batches,
                perBatch * EPOCH_BATCHES,
                inferSeconds,
                peakRssMb()));
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
