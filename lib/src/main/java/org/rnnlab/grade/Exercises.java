package org.rnnlab.grade;

import static org.rnnlab.grade.LayerSpec.dropout;
import static org.rnnlab.grade.LayerSpec.embedding;
import static org.rnnlab.grade.LayerSpec.gru;
import static org.rnnlab.grade.LayerSpec.lstm;
import static org.rnnlab.grade.LayerSpec.output;
import static org.rnnlab.grade.LayerSpec.simpleRnn;
import static org.rnnlab.grade.LayerSpec.spatialDropout;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** The catalogue of graded exercises: what each asks for, taken from the exercise descriptions. */
public final class Exercises {

    /** Tokens per review in the sentiment exercises. */
    public static final int MAX_LEN = 200;

    /** Full-mode floor of the best-validation test accuracy for the sentiment exercises. */
    public static final double ACCURACY_FLOOR = 0.80;

    /** Notebooks of the course that have nothing to grade (the autograder still runs them). */
    public static final Map<String, String> UNGRADED = java.util.Collections.unmodifiableMap(new TreeMap<>(Map.of(
            "00", "Start here",
            "6.06", "Comparison of the five models",
            "6.08", "Inside the cells",
            "6.09", "Text regression: star ratings with a BiLSTM",
            "6.10", "Bigger models: a wide stacked LSTM and its bidirectional twin")));

    private Exercises() {}

    /** Every graded exercise, in course order. */
    public static List<ExerciseSpec> all() {
        int vocab = 8000;
        int len = 32;
        return List.of(
                sentiment(
                        "6.01",
                        "SimpleRNN",
                        "6.01-simple-rnn",
                        10,
                        84.15,
                        List.of(
                                embedding(vocab, len),
                                spatialDropout(0.4),
                                simpleRnn(32, 32).lastStep(),
                                dropout(0.4),
                                output(32, 1, Activation.SIGMOID))),
                sentiment(
                        "6.02",
                        "LSTM",
                        "6.02-lstm",
                        5,
                        87.05,
                        List.of(
                                embedding(vocab, len),
                                spatialDropout(0.4),
                                lstm(32, 32).lastStep(),
                                dropout(0.4),
                                output(32, 1, Activation.SIGMOID))),
                sentiment(
                        "6.03",
                        "GRU",
                        "6.03-gru",
                        4,
                        87.06,
                        List.of(
                                embedding(vocab, len),
                                spatialDropout(0.4),
                                gru(32, 32, false).lastStep(),
                                dropout(0.4),
                                output(32, 1, Activation.SIGMOID))),
                sentiment(
                        "6.04",
                        "Bidirectional LSTM",
                        "6.04-bidirectional-lstm",
                        4,
                        87.60,
                        List.of(
                                embedding(vocab, len),
                                spatialDropout(0.4),
                                lstm(32, 32).bidirectional(),
                                dropout(0.4),
                                output(64, 1, Activation.SIGMOID))),
                sentiment(
                        "6.05",
                        "Stacked LSTM",
                        "6.05-stacked-lstm",
                        4,
                        87.53,
                        List.of(
                                embedding(vocab, len),
                                spatialDropout(0.4),
                                lstm(32, 32),
                                lstm(32, 32).lastStep(),
                                dropout(0.5),
                                output(32, 1, Activation.SIGMOID))),
                airline());
    }

    /**
     * The test accuracies (%) the Keras originals report for the sentiment exercises, by exercise id in course
     * order: one run each, last epoch. The comparison notebook and the README's results table show them.
     */
    public static Map<String, Double> kerasAccuracies() {
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        all().stream().filter(e -> !Double.isNaN(e.kerasAccuracy())).forEach(e -> out.put(e.id(), e.kerasAccuracy()));
        return java.util.Collections.unmodifiableMap(out);
    }

    /** The exercise with this id ("6.01"), if it is graded. */
    public static Optional<ExerciseSpec> find(String id) {
        return all().stream().filter(e -> e.id().equals(id)).findFirst();
    }

    private static ExerciseSpec sentiment(
            String id, String title, String notebook, int epochs, double keras, List<LayerSpec> layers) {
        String list = layers.stream().map(LayerSpec::describe).collect(Collectors.joining(", "));
        String dl4j = layers.stream().map(Exercises::dl4j).collect(Collectors.joining(", "));
        Step model = new Step(
                "model",
                ModelChecks.POINTS,
                List.of("model"),
                List.of(
                        "The network has " + layers.size() + " layers, in this order: " + list + ".",
                        "In the notebook's code: " + dl4j
                                + ". Give every layer its nIn; DL4J's dropout takes the probability of "
                                + "KEEPING a value (1 - the Keras rate); set .activation(Activation.TANH) on recurrent layers."));
        Step training = new Step(
                "training",
                TrainingChecks.POINTS,
                List.of("model", "trainer"),
                List.of(
                        String.format(
                                Locale.ROOT,
                                "Train %d epochs in batches of 128, hold out the last 20 %% of the training "
                                        + "reviews for validation and keep the weights of the best val_accuracy epoch; the loss is binary "
                                        + "cross-entropy and the optimizer Keras' RMSprop.",
                                epochs),
                        String.format(
                                Locale.ROOT,
                                "trainer.epochs(%d).batchSize(128).validationSplit(0.2).keepBestWeights(\"val_accuracy\"); "
                                        + "in the configuration: .updater(new RmsProp(0.001, 0.9, 1e-7)) and new OutputLayer.Builder(LossFunction.XENT).",
                                epochs)));
        Step results = new Step(
                "results",
                ResultChecks.POINTS,
                List.of("model", "tokenizer"),
                List.of(
                        String.format(
                                Locale.ROOT,
                                "In full mode the test accuracy of the best validation epoch's weights should reach "
                                        + "%.0f %%. Below that, run the model and training checks first: they catch most causes.",
                                100 * ACCURACY_FLOOR),
                        "Train on all 25,000 reviews (full mode) with the exercise's epochs, and call trainer.restoreBestWeights() before evaluating."));
        return new ExerciseSpec(
                id,
                title,
                notebook,
                layers,
                LossFunction.XENT,
                0.001,
                0.9,
                1e-7,
                epochs,
                128,
                0.2,
                "val_accuracy",
                ACCURACY_FLOOR,
                keras,
                List.of(model, training, results));
    }

    private static ExerciseSpec airline() {
        List<LayerSpec> layers = List.of(simpleRnn(1, 64), lstm(1, 64), gru(1, 64, null));
        Step step = new Step(
                "layers",
                layers.size(),
                List.of("rnnLayer", "lstmLayer", "gruLayer"),
                List.of(
                        "Three recurrent layers, each reading 1 feature (nIn(1)) with 64 units (nOut(64)): a SimpleRnn, "
                                + "an LSTM and a GRU. The notebook wraps them in LastTimeStep itself.",
                        "new SimpleRnn.Builder().nIn(1).nOut(64).activation(Activation.TANH).build(), the same with LSTM.Builder "
                                + "(DL4J's LSTM needs the tanh set), and new GRU.Builder().nIn(1).nOut(64).build() from org.rnnlab.layers."));
        return new ExerciseSpec(
                "6.07",
                "Airline passengers",
                "6.07-airline-forecasting",
                layers,
                LossFunction.MSE,
                0.001,
                0.9,
                1e-7,
                100,
                32,
                0,
                null,
                Double.NaN,
                Double.NaN,
                List.of(step));
    }

    private static String dl4j(LayerSpec l) {
        return switch (l.kind()) {
            case EMBEDDING -> "EmbeddingSequenceLayer (nIn " + l.nIn() + ", nOut " + l.nOut() + ")";
            case SPATIAL_DROPOUT ->
                String.format(Locale.ROOT, "DropoutLayer with new SpatialDropout(%.1f)", 1 - l.rate());
            case DROPOUT -> String.format(Locale.ROOT, "DropoutLayer(%.1f)", 1 - l.rate());
            case OUTPUT -> "OutputLayer (nIn " + l.nIn() + ", nOut " + l.nOut() + ", " + l.activation() + ")";
            default -> {
                String inner = l.kind().course() + " (nIn " + l.nIn() + ", nOut " + l.nOut() + ")";
                yield switch (l.form()) {
                    case LAST_STEP -> "LastTimeStep(" + inner + ")";
                    case BIDIRECTIONAL -> "BidirectionalLastStep(" + inner + ")";
                    default -> inner + " unwrapped";
                };
            }
        };
    }

    /**
     * The steps of all exercises as one JSON object keyed by exercise id, for the autograder and the tools.
     * A graded exercise maps to
     *
     * <pre>{@code
     * {"title": "SimpleRNN", "keras": 84.15, "network": {...},
     *  "handover": "<the hand-over cell, with {dir} and {name} placeholders>",
     *  "steps": [{"step": "model", "maxPoints": 5, "objects": ["model"]}, ...]}
     * }</pre>
     *
     * <p>{@code keras} is the Keras original's test accuracy (null where there is none), {@code maxPoints} the
     * step's points in {@code mode}, and {@code objects} the notebook objects the step grades. The autograder
     * hands over every object its steps name by running {@code handover} once per object in the learner's
     * kernel, with {@code {dir}} replaced by the hand-over folder written as the contents of a Java string
     * literal (backslashes and double quotes escaped) and every {@code {name}} by the object's name (see
     * {@link Handover#template()}); {@link TrustedGrade} then grades the files in a JVM of its own. An
     * ungraded notebook maps to {@code {"title": ..., "steps": []}}.
     */
    public static String plansJson(org.rnnlab.Mode mode) {
        List<String> out = new ArrayList<>();
        for (ExerciseSpec e : all()) {
            String steps = e.steps().stream()
                    .map(s -> String.format(
                            Locale.ROOT,
                            "{\"step\": %s, \"maxPoints\": %d, \"objects\": [%s]}",
                            StepResult.quote(s.name()),
                            maxPoints(s, mode),
                            s.objects().stream().map(StepResult::quote).collect(Collectors.joining(", "))))
                    .collect(Collectors.joining(", "));
            out.add(String.format(
                    Locale.ROOT,
                    "%s: {\"title\": %s, \"keras\": %s, \"network\": %s, \"handover\": %s, \"steps\": [%s]}",
                    StepResult.quote(e.id()),
                    StepResult.quote(e.title()),
                    Double.isNaN(e.kerasAccuracy()) ? "null" : String.format(Locale.ROOT, "%.2f", e.kerasAccuracy()),
                    networkJson(e),
                    StepResult.quote(Handover.template()),
                    steps));
        }
        UNGRADED.forEach((id, title) -> out.add(
                String.format("%s: {\"title\": %s, \"steps\": []}", StepResult.quote(id), StepResult.quote(title))));
        return "{" + String.join(", ", out) + "}";
    }

    /** The names of the objects the steps of {@code spec} grade, each once, in the order the steps first name them. */
    static List<String> objects(ExerciseSpec spec) {
        return spec.steps().stream()
                .flatMap(s -> s.objects().stream())
                .distinct()
                .toList();
    }

    /**
     * An exercise's network and training settings as JSON, in Keras' terms (dropout as the rate dropped), for
     * the tools that build the same network in other frameworks (the benchmark).
     */
    static String networkJson(ExerciseSpec e) {
        String layers = e.layers().stream()
                .map(l -> String.format(
                        Locale.ROOT,
                        "{\"kind\": %s, \"nIn\": %d, \"units\": %d, \"activation\": %s, \"rate\": %s, \"form\": %s,"
                                + " \"resetAfter\": %s}",
                        StepResult.quote(l.kind().name()),
                        l.nIn(),
                        l.nOut(),
                        l.activation() == null
                                ? "null"
                                : StepResult.quote(l.activation().name()),
                        l.rate(),
                        StepResult.quote(l.form().name()),
                        l.resetAfter()))
                .collect(Collectors.joining(", "));
        return String.format(
                Locale.ROOT,
                "{\"maxLen\": %d, \"loss\": %s, \"learningRate\": %s, \"rho\": %s, \"epsilon\": %s, \"epochs\": %d,"
                        + " \"batchSize\": %d, \"validationSplit\": %s, \"layers\": [%s]}",
                MAX_LEN,
                StepResult.quote(e.loss().name()),
                e.learningRate(),
                e.rho(),
                e.epsilon(),
                e.epochs(),
                e.batchSize(),
                e.validationSplit(),
                layers);
    }

    /** Points a step is worth in a mode: results are graded in full mode only. */
    public static int maxPoints(Step s, org.rnnlab.Mode mode) {
        return s.name().equals("results") && mode != org.rnnlab.Mode.FULL ? 0 : s.maxPoints();
    }
}
