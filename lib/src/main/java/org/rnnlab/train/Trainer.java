package org.rnnlab.train;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.rnnlab.Mode;
import org.rnnlab.data.SequenceDataset;
import org.rnnlab.engine.Cores;
import org.rnnlab.engine.FastNetwork;

/**
 * Trains a network the way Keras' {@code model.fit} does and prints what Keras prints: a progress
 * bar per epoch, then loss, metric, validation loss and validation metric.
 *
 * <pre>{@code
 * History history = Trainer.of(model).epochs(10).batchSize(128).validationSplit(0.2).fit(xTrain, yTrain);
 * }</pre>
 *
 * The training loss and metric of an epoch are averages over its batches, measured on each batch's
 * forward pass before the update (dropout active), as in Keras; validation runs in inference mode
 * after the epoch. {@code RNNLAB_MAX_EPOCHS} caps the number of epochs, and the output says so.
 */
public final class Trainer {

    private final MultiLayerNetwork model;
    private int epochs = 1;
    private int batchSize = 32;
    private double validationSplit;
    private Long shuffleSeed = 42L;
    private Mode mode = Mode.current();
    private PrintStream out = System.out;
    private int verbose = 1;
    private String keepBestOf;
    private int patience;
    private boolean restoreBest;
    private BestWeights best;
    private Long runSeed = Reseed.fromEnvironment().orElse(null);
    private OptionalInt maxEpochs = EpochCap.fromEnvironment();
    private List<Callback> callbacks = List.of();

    private Trainer(MultiLayerNetwork model) {
        this.model = model;
    }

    /** A trainer for {@code model} with Keras' defaults: 1 epoch, batch 32, no validation, shuffled each epoch. */
    public static Trainer of(MultiLayerNetwork model) {
        return new Trainer(model);
    }

    /** Epochs to train (capped by {@code RNNLAB_MAX_EPOCHS} where set). */
    public Trainer epochs(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, was " + epochs);
        }
        this.epochs = epochs;
        return this;
    }

    /** Samples per gradient update. */
    public Trainer batchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
        }
        this.batchSize = batchSize;
        return this;
    }

    /** Fraction of the training data, taken from its end before shuffling, held out for validation (Keras' {@code validation_split}). */
    public Trainer validationSplit(double fraction) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("validationSplit must be at least 0 and below 1, was " + fraction);
        }
        this.validationSplit = fraction;
        return this;
    }

    /** Seed of the per-epoch shuffle of the training samples; null trains in the given order. */
    public Trainer shuffleSeed(Long seed) {
        this.shuffleSeed = seed;
        return this;
    }

    /**
     * Before training, draws the network's initial weights again with this seed and shuffles with it
     * (null: keep the weights as built). Set from {@code RNNLAB_SEED} by default; see {@link Reseed}.
     */
    public Trainer runSeed(Long seed) {
        this.runSeed = seed;
        return this;
    }

    /** The most epochs to run whatever {@link #epochs} asks (empty: no cap); set from {@code RNNLAB_MAX_EPOCHS} by default. */
    public Trainer maxEpochs(OptionalInt cap) {
        this.maxEpochs = cap;
        return this;
    }

    /** Overrides the mode read from the environment. */
    public Trainer mode(Mode mode) {
        this.mode = mode;
        return this;
    }

    /**
     * Keeps a copy of the weights from the epoch where {@code monitor} (e.g. {@code "val_accuracy"},
     * {@code "val_loss"}) was best; read it with {@link #bestWeights()} after training.
     */
    public Trainer keepBestWeights(String monitor) {
        this.keepBestOf = monitor;
        return this;
    }

    /**
     * Keras' {@code EarlyStopping}: stops when {@code monitor} has not improved for {@code patience}
     * epochs, and if {@code restoreBestWeights} puts the best epoch's weights back into the model.
     */
    public Trainer earlyStopping(String monitor, int patience, boolean restoreBestWeights) {
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be at least 1 epoch, was " + patience);
        }
        this.keepBestOf = monitor;
        this.patience = patience;
        this.restoreBest = restoreBestWeights;
        return this;
    }

    /** What this trainer is set up to do: epochs, batch size, validation split, monitored metric. */
    public TrainingSettings settings() {
        return new TrainingSettings(epochs, batchSize, validationSplit, keepBestOf, patience);
    }

    /** What a notebook shows for a trainer: its settings in words, e.g. "Trainer: 10 epochs, batches of 128, …". */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(
                String.format("Trainer: %d epoch%s, batches of %d", epochs, epochs == 1 ? "" : "s", batchSize));
        sb.append(
                validationSplit > 0
                        ? String.format(", the last %.0f %% held out for validation", validationSplit * 100)
                        : ", no validation");
        if (keepBestOf != null) {
            sb.append(
                    patience > 0
                            ? String.format(
                                    ", early stopping on %s after %d epochs without improvement", keepBestOf, patience)
                            : ", keeps the weights of the best " + keepBestOf + " epoch");
        }
        return sb.toString();
    }

    /** The weights kept by {@link #keepBestWeights} or {@link #earlyStopping}, or null if none were kept. */
    public BestWeights bestWeights() {
        return best;
    }

    /**
     * Puts the kept best weights (see {@link #keepBestWeights}) into the model and says which epoch
     * they come from; a hint instead if nothing was trained or kept.
     */
    public void restoreBestWeights() {
        if (model == null || best == null) {
            out.println("⚠ There are no best weights to restore: train the model (with keepBestWeights) first.");
            return;
        }
        best.applyTo(model);
        out.printf("Restored the %s.%n", best);
    }

    /** Keras' {@code verbose}: 1 a progress bar and a line per epoch (default), 2 a line per epoch, 0 only the final line. */
    public Trainer verbose(int level) {
        if (level < 0 || level > 2) {
            throw new IllegalArgumentException("verbose must be 0, 1 or 2, was " + level);
        }
        this.verbose = level;
        return this;
    }

    /** Code to run before training and after every epoch, e.g. {@code Plots.liveHistory()} (Keras' {@code callbacks}). */
    public Trainer callbacks(Callback... callbacks) {
        this.callbacks = List.of(callbacks);
        return this;
    }

    /** Where progress goes (standard output by default). */
    public Trainer output(PrintStream out) {
        this.out = out;
        return this;
    }

    /** Trains on padded token sequences and their labels. */
    public History fit(int[][] x, int[] y) {
        if (model == null) {
            return noModel();
        }
        return fit(SequenceDataset.of(x, y));
    }

    /** Trains on a dataset, holding out the validation split if one was set. */
    public History fit(SequenceDataset data) {
        if (model == null) {
            return noModel();
        }
        SequenceDataset train = data;
        SequenceDataset validation = null;
        if (validationSplit > 0) {
            SequenceDataset.Split split = data.split(validationSplit);
            train = split.train();
            validation = split.validation();
        }
        return fit(train, validation);
    }

    /** Trains on {@code train}, validating on {@code validation} (may be null) after every epoch. */
    public History fit(SequenceDataset train, SequenceDataset validation) {
        if (model == null) {
            return noModel();
        }
        int run = epochsToRun();
        if (runSeed != null) {
            Reseed.apply(model, runSeed);
            shuffleSeed = runSeed;
            out.printf(
                    "Seed %d (%s): initial weights drawn again and batches shuffled with it.%n", runSeed, Reseed.ENV);
        }
        OutputKind kind = OutputKind.of(model);
        MultiLayerNetwork net = FastNetwork.of(model);
        FastNetwork.takeState(model, net);
        PrintStream log = verbose > 0 ? out : new PrintStream(java.io.OutputStream.nullOutputStream());
        log.printf(
                "Train on %,d samples%s%n",
                train.size(), validation == null ? "" : String.format(", validate on %,d samples", validation.size()));
        DataSetIterator it = train.iterator(batchSize, shuffleSeed);
        OutputCapture capture = new OutputCapture();
        net.addListeners(capture);
        SplitStep stepper = new SplitStep(model, net, capture, Cores.threads());
        EarlyStopping watcher = keepBestOf == null ? null : new EarlyStopping(keepBestOf, patience);
        List<Map<String, Double>> epochsDone = new ArrayList<>();
        List<Double> seconds = new ArrayList<>();
        best = null;
        for (Callback c : callbacks) {
            c.onTrainBegin(run);
        }
        try {
            for (int e = 1; e <= run; e++) {
                log.printf("Epoch %d/%d%n", e, run);
                long start = System.nanoTime();
                ProgressBar bar = new ProgressBar(log, (train.size() + batchSize - 1) / batchSize, verbose == 1);
                Map<String, Double> m = trainOneEpoch(net, it, kind, stepper, bar);
                if (validation != null) {
                    m.putAll(validationMetrics(net, validation, kind));
                }
                bar.finish(m);
                epochsDone.add(m);
                seconds.add((System.nanoTime() - start) / 1e9);
                for (Callback c : callbacks) {
                    c.onEpochEnd(new History(List.copyOf(epochsDone), List.copyOf(seconds), epochs, mode));
                }
                boolean stop = watcher != null && watcher.onEpochEnd(e, m, model, log);
                best = watcher == null ? null : watcher.best();
                if (stop) {
                    break;
                }
            }
        } finally {
            stepper.close();
            net.getListeners().remove(capture);
            FastNetwork.giveState(net, model);
        }
        if (restoreBest && best != null && best.epoch() != epochsDone.size()) {
            out.printf("Restoring the weights from the end of the best epoch: %d.%n", best.epoch());
            best.applyTo(model);
        }
        History h = new History(epochsDone, seconds, epochs, mode);
        out.printf("Trained %d epoch%s in %.1f s.%n", h.epochCount(), h.epochCount() == 1 ? "" : "s", h.totalSeconds());
        return h;
    }

    /** The epochs asked for, capped by {@link #maxEpochs} (and saying so). */
    private int epochsToRun() {
        if (maxEpochs.isPresent() && maxEpochs.getAsInt() < epochs) {
            out.printf(
                    "Training %d of the %d epochs: %s=%d caps them.%n",
                    maxEpochs.getAsInt(), epochs, EpochCap.ENV, maxEpochs.getAsInt());
            return maxEpochs.getAsInt();
        }
        return epochs;
    }

    /** One pass over the batches: the averages of the loss and metric on each batch before its update, as Keras reports them. */
    private Map<String, Double> trainOneEpoch(
            MultiLayerNetwork net, DataSetIterator it, OutputKind kind, SplitStep stepper, ProgressBar bar) {
        String metric = kind.metric;
        it.reset();
        double lossSum = 0;
        double metricSum = 0;
        int seen = 0;
        int step = 0;
        while (it.hasNext()) {
            DataSet batch = it.next();
            int n = batch.numExamples();
            SplitStep.Result r = stepper.fit(batch);
            lossSum += r.score() * n;
            if (metric != null) {
                float[] p = r.outputs();
                if (p == null) {
                    p = Predictor.floats(net.output(batch.getFeatures(), false));
                }
                float[] y = Predictor.floats(batch.getLabels());
                metricSum += kind.metric(p, y, (int) batch.getLabels().size(1)) * n;
            }
            seen += n;
            step++;
            bar.update(step, running(lossSum / seen, metric, metricSum / seen));
        }
        return running(lossSum / seen, metric, metricSum / seen);
    }

    /** val_loss and the validation metric, in inference mode. */
    private static Map<String, Double> validationMetrics(
            MultiLayerNetwork net, SequenceDataset validation, OutputKind kind) {
        Map<String, Double> m = new LinkedHashMap<>();
        float[] p = Predictor.predict(net, validation);
        m.put(
                "val_loss",
                kind == OutputKind.OTHER
                        ? scoreOf(net, validation)
                        : kind.loss(p, validation.labels(), validation.labelWidth()));
        if (kind.metric != null) {
            m.put("val_" + kind.metric, kind.metric(p, validation.labels(), validation.labelWidth()));
        }
        return m;
    }

    private static double scoreOf(MultiLayerNetwork net, SequenceDataset data) {
        int[] all = java.util.stream.IntStream.range(0, data.size()).toArray();
        return net.score(new DataSet(data.featuresOf(all), data.labelsOf(all)), false);
    }

    private static Map<String, Double> running(double loss, String metric, double metricValue) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", loss);
        if (metric != null) {
            m.put(metric, metricValue);
        }
        return m;
    }

    private History noModel() {
        out.println(
                "⚠ There is no model to train yet: build it in the \"Code it!\" cell above, run that cell, then run this one again.");
        return History.empty(mode);
    }
}
