package org.rnnlab.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.rnnlab.Mode;
import org.rnnlab.train.History;

/**
 * What one exercise run measured, saved by each sentiment notebook so the comparison notebook does
 * not have to retrain: the model, its recurrent layer's parameters, training time, and the test
 * accuracy of the last epoch's weights and of the best validation epoch's weights.
 */
public record ExerciseResult(
        String exercise,
        String model,
        long recurrentParams,
        double trainingSeconds,
        int epochs,
        double testAccuracyLast,
        double testAccuracyBest,
        int bestEpoch,
        Mode mode,
        LocalDate date) {

    /** Environment variable naming the folder of result files (default {@code ~/.cache/rnnlab/results}). */
    public static final String ENV_DIR = "RNNLAB_RESULTS";

    /**
     * Builds the result of a finished notebook run and saves it: parameters of the recurrent layers
     * are counted from {@code model}, training time and epochs come from {@code history}. Prints a
     * hint and returns null when a step before this one is missing.
     */
    public static ExerciseResult save(
            String exercise,
            String modelName,
            MultiLayerNetwork model,
            History history,
            BinaryReport last,
            BinaryReport atBest,
            int bestEpoch) {
        if (model == null || history == null || history.isEmpty() || last == null || atBest == null) {
            System.out.println("⚠ Nothing to save yet: build, train and evaluate the model in the cells above first.");
            return null;
        }
        ExerciseResult r = new ExerciseResult(
                exercise,
                modelName,
                recurrentParams(model),
                history.totalSeconds(),
                history.epochCount(),
                last.accuracy(),
                atBest.accuracy(),
                bestEpoch,
                history.mode(),
                LocalDate.now());
        r.save();
        return r;
    }

    /** Parameters of a network's recurrent layers (wrapped ones included), as the exercises count them. */
    public static long recurrentParams(MultiLayerNetwork model) {
        long n = 0;
        for (int i = 0; i < model.getnLayers(); i++) {
            Layer conf = model.getLayerWiseConfigurations().getConf(i).getLayer();
            while (conf instanceof BaseWrapperLayer w) {
                conf = w.getUnderlying();
            }
            if (conf instanceof BaseRecurrentLayer || conf instanceof Bidirectional) {
                n += model.getLayer(i).numParams();
            }
        }
        return n;
    }

    /** The folder results are saved in for a mode: {@code $RNNLAB_RESULTS/<mode>}. */
    public static Path folder(Mode mode) {
        String dir = System.getenv(ENV_DIR);
        Path base = dir != null && !dir.isBlank()
                ? Path.of(dir)
                : Path.of(System.getProperty("user.home"), ".cache", "rnnlab", "results");
        return base.resolve(mode.label());
    }

    /** Writes this result as {@code <exercise>.json} into {@link #folder} and says where. */
    public Path save() {
        return save(folder(mode));
    }

    /** Writes this result as {@code <exercise>.json} into {@code dir}. */
    public Path save(Path dir) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(exercise + ".json");
            // Written beside and moved into place, so that a notebook reading the folder meanwhile never sees half a
            // file.
            Path part = Files.createTempFile(dir, exercise + ".", ".part");
            Files.writeString(part, toJson());
            Files.move(
                    part,
                    file,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            System.out.println("Result saved to " + file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the result into " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The result as one JSON object. */
    public String toJson() {
        return String.format(
                Locale.ROOT,
                "{\"exercise\": \"%s\", \"model\": \"%s\", \"recurrentParams\": %d, \"trainingSeconds\": %.1f, "
                        + "\"epochs\": %d, \"testAccuracyLast\": %.4f, \"testAccuracyBest\": %.4f, \"bestEpoch\": %d, \"mode\": \"%s\", \"date\": \"%s\"}%n",
                exercise,
                model,
                recurrentParams,
                trainingSeconds,
                epochs,
                testAccuracyLast,
                testAccuracyBest,
                bestEpoch,
                mode.label(),
                date);
    }

    /** Reads a result written by {@link #toJson}. */
    public static ExerciseResult fromJson(String json) {
        return new ExerciseResult(
                text(json, "exercise"),
                text(json, "model"),
                (long) number(json, "recurrentParams"),
                number(json, "trainingSeconds"),
                (int) number(json, "epochs"),
                number(json, "testAccuracyLast"),
                number(json, "testAccuracyBest"),
                (int) number(json, "bestEpoch"),
                Mode.parse(text(json, "mode")),
                LocalDate.parse(text(json, "date")));
    }

    /** Every result saved in {@code dir}, sorted by exercise. */
    public static List<ExerciseResult> loadAll(Path dir) {
        List<ExerciseResult> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p :
                    files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                out.add(fromJson(Files.readString(p)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String text(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalArgumentException("no \"" + key + "\" in " + json.strip());
        }
        return m.group(1);
    }

    private static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":\\s*([-0-9.eE]+)").matcher(json);
        if (!m.find()) {
            throw new IllegalArgumentException("no \"" + key + "\" in " + json.strip());
        }
        return Double.parseDouble(m.group(1));
    }
}
