package org.rnnlab.grade;

import java.util.List;
import java.util.Optional;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * What an exercise (solution notebook {@code notebooks/solutions/<notebook>.ipynb}) asks the learner to build and how to train it, in the exercise's own terms: the
 * layers, the loss, RMSprop's settings, epochs, batch size, validation split, the metric whose best
 * weights are kept, the full-mode test-accuracy floor, and the graded steps with their hints.
 */
public record ExerciseSpec(
        String id,
        String title,
        String notebook,
        List<LayerSpec> layers,
        LossFunction loss,
        double learningRate,
        double rho,
        double epsilon,
        int epochs,
        int batchSize,
        double validationSplit,
        String monitor,
        double accuracyFloor,
        double kerasAccuracy,
        List<Step> steps) {

    /** Copies the lists so the record stays unmodifiable. */
    public ExerciseSpec {
        layers = List.copyOf(layers);
        steps = List.copyOf(steps);
    }

    /** The step called {@code name}, if this exercise has one. */
    public Optional<Step> step(String name) {
        return steps.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Parameters of the recurrent layers the exercise asks for. */
    public long recurrentParams() {
        return layers.stream()
                .filter(l -> l.kind().recurrent())
                .mapToLong(LayerSpec::params)
                .sum();
    }

    /** Parameters of the whole network the exercise asks for. */
    public long totalParams() {
        return layers.stream().mapToLong(LayerSpec::params).sum();
    }
}
