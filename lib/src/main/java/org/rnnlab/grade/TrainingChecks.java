package org.rnnlab.grade;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.rnnlab.train.TrainingSettings;

/**
 * Checks how a learner set up training against the exercise: the output layer's loss, the optimizer
 * and its settings (both in the network's configuration), and the trainer's epochs, batch size and
 * validation split, read from its {@link TrainingSettings} (null when there is no trainer). Never throws.
 */
final class TrainingChecks {

    /** Points of the training step: one per item. */
    static final int POINTS = 5;

    private TrainingChecks() {}

    static StepResult check(ExerciseSpec spec, MultiLayerNetwork model, TrainingSettings settings) {
        List<CheckItem> items = new ArrayList<>();
        List<LayerView> layers = null;
        String noModel = null;
        if (model == null) {
            noModel = "`model` is null: build the network first (its configuration holds the loss and the optimizer).";
        } else {
            try {
                layers = LayerView.of(model);
            } catch (RuntimeException e) {
                noModel = "the network could not be inspected (" + e + ").";
            }
        }
        items.add(noModel != null ? CheckItem.fail("loss", 1, noModel) : loss(spec, layers));
        items.add(noModel != null ? CheckItem.fail("optimizer", 1, noModel) : optimizer(spec, layers));
        if (settings == null) {
            String hint = "`trainer` is null: create it with Trainer.of(model) and set it up in the \"Code it!\" cell.";
            items.add(CheckItem.fail("epochs", 1, hint));
            items.add(CheckItem.fail("batch size", 1, hint));
            items.add(CheckItem.fail("validation", 1, hint));
        } else {
            TrainingSettings s = settings;
            items.add(
                    s.epochs() == spec.epochs()
                            ? CheckItem.pass("epochs", 1, spec.epochs() + " epochs")
                            : CheckItem.fail(
                                    "epochs",
                                    1,
                                    String.format(
                                            "the trainer runs %d epoch%s; the exercise trains %d: trainer.epochs(%d).",
                                            s.epochs(), s.epochs() == 1 ? "" : "s", spec.epochs(), spec.epochs())));
            items.add(
                    s.batchSize() == spec.batchSize()
                            ? CheckItem.pass("batch size", 1, "batches of " + spec.batchSize())
                            : CheckItem.fail(
                                    "batch size",
                                    1,
                                    String.format(
                                            "batches of %d; the exercise uses %d: trainer.batchSize(%d).",
                                            s.batchSize(), spec.batchSize(), spec.batchSize())));
            items.add(validation(spec, s));
        }
        return new StepResult(spec.id(), "training", items);
    }

    private static CheckItem loss(ExerciseSpec spec, List<LayerView> layers) {
        LayerView out = layers.isEmpty() ? null : layers.get(layers.size() - 1);
        ILossFunction want = spec.loss().getILossFunction();
        if (out == null || out.loss() == null) {
            return CheckItem.fail(
                    "loss",
                    1,
                    "the network has no output layer: end it with new OutputLayer.Builder(LossFunction."
                            + spec.loss().name() + ").");
        }
        if (out.loss().getClass() != want.getClass()) {
            return CheckItem.fail(
                    "loss",
                    1,
                    String.format(
                            "the output layer's loss is %s; a sigmoid output for two classes is trained with "
                                    + "binary cross-entropy: new OutputLayer.Builder(LossFunction.%s).",
                            out.loss(), spec.loss().name()));
        }
        return CheckItem.pass("loss", 1, "binary cross-entropy (" + spec.loss().name() + ")");
    }

    private static CheckItem optimizer(ExerciseSpec spec, List<LayerView> layers) {
        for (LayerView l : layers) {
            IUpdater u = l.updater();
            if (u == null || l.params() == 0) {
                continue;
            }
            CheckItem item = optimizer(spec, u, l.name() + " is trained with");
            if (!item.passed()) {
                return item;
            }
        }
        return optimizerPassed(spec);
    }

    /** One optimizer against the exercise's RMSprop; {@code who} starts the hint ("layer 3 (LSTM) is trained with"). */
    static CheckItem optimizer(ExerciseSpec spec, IUpdater u, String who) {
        String want =
                String.format(Locale.ROOT, "new RmsProp(%s, %s, %s)", spec.learningRate(), spec.rho(), spec.epsilon());
        if (!(u instanceof RmsProp r)) {
            return CheckItem.fail(
                    "optimizer",
                    1,
                    String.format(
                            "%s %s; the exercise uses Keras' RMSprop, %s.",
                            who, u == null ? "nothing" : u.getClass().getSimpleName(), want));
        }
        if (Math.abs(r.getLearningRate() - spec.learningRate()) > 1e-12) {
            return CheckItem.fail(
                    "optimizer",
                    1,
                    String.format(
                            Locale.ROOT,
                            "RmsProp's learning rate is %s; the exercise's is %s: %s.",
                            r.getLearningRate(),
                            spec.learningRate(),
                            want));
        }
        if (Math.abs(r.getRmsDecay() - spec.rho()) > 1e-12 || Math.abs(r.getEpsilon() - spec.epsilon()) > 1e-15) {
            return CheckItem.fail(
                    "optimizer",
                    1,
                    String.format(
                            Locale.ROOT,
                            "RmsProp has decay %s and ε %s; Keras' RMSprop has ρ = %s and "
                                    + "ε = %s (DL4J's defaults differ): %s.",
                            r.getRmsDecay(),
                            r.getEpsilon(),
                            spec.rho(),
                            spec.epsilon(),
                            want));
        }
        return optimizerPassed(spec);
    }

    private static CheckItem optimizerPassed(ExerciseSpec spec) {
        return CheckItem.pass(
                "optimizer",
                1,
                "RMSprop(learning rate " + spec.learningRate() + ", ρ " + spec.rho() + ", ε " + spec.epsilon() + ")");
    }

    private static CheckItem validation(ExerciseSpec spec, TrainingSettings s) {
        if (Math.abs(s.validationSplit() - spec.validationSplit()) > 1e-9) {
            return CheckItem.fail(
                    "validation",
                    1,
                    String.format(
                            Locale.ROOT,
                            "%s of the training data is held out; the exercise validates on "
                                    + "the last %.0f %%: trainer.validationSplit(%s).",
                            s.validationSplit() == 0
                                    ? "none"
                                    : String.format(Locale.ROOT, "%.0f %%", 100 * s.validationSplit()),
                            100 * spec.validationSplit(),
                            spec.validationSplit()));
        }
        if (spec.monitor() != null && !spec.monitor().equals(s.keepBestOf())) {
            return CheckItem.fail(
                    "validation",
                    1,
                    String.format(
                            "the trainer %s; the exercise keeps the weights of the best %s epoch: "
                                    + "trainer.keepBestWeights(\"%s\").",
                            s.keepBestOf() == null ? "keeps no best weights" : "watches " + s.keepBestOf(),
                            spec.monitor(),
                            spec.monitor()));
        }
        return CheckItem.pass(
                "validation",
                1,
                String.format(
                        Locale.ROOT,
                        "last %.0f %% held out, best %s kept",
                        100 * spec.validationSplit(),
                        spec.monitor()));
    }
}
