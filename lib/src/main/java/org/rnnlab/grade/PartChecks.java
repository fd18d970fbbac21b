package org.rnnlab.grade;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Checks one part of a sentiment network before it is assembled — the embedding, the dropouts, the
 * recurrent layer(s), the output layer or the optimizer — one item per object, each ✗ naming the next
 * thing to change. These are the small steps of a "Code it!" exercise; they give no points (the model
 * check grades the assembled network). Never throws.
 */
final class PartChecks {

    /** The parts a sentiment exercise is built from, in the order the notebooks ask for them. */
    static final List<String> PARTS = List.of("embedding", "dropouts", "recurrent", "output", "optimizer");

    private PartChecks() {}

    static StepResult check(ExerciseSpec spec, String part, List<Object> values) {
        if ("optimizer".equals(part)) {
            Object u = values.isEmpty() ? null : values.get(0);
            CheckItem item = u == null
                    ? CheckItem.fail("optimizer", 1, "`optimizer` is null: assign the exercise's optimizer to it.")
                    : u instanceof IUpdater updater
                            ? TrainingChecks.optimizer(spec, updater, "the optimizer is")
                            : CheckItem.fail(
                                    "optimizer",
                                    1,
                                    "this is " + u.getClass().getSimpleName()
                                            + ", not an optimizer (an IUpdater such as RmsProp).");
            return new StepResult(spec.id(), "part " + part, List.of(item));
        }
        Predicate<LayerSpec> which = switch (part) {
            case "embedding" -> l -> l.kind() == LayerKind.EMBEDDING;
            case "dropouts" -> l -> l.kind().dropout();
            case "recurrent" -> l -> l.kind().recurrent();
            case "output" -> l -> l.kind() == LayerKind.OUTPUT;
            default -> throw new IllegalArgumentException("there is no part \"" + part + "\"; the parts are " + PARTS);
        };
        List<LayerSpec> want = spec.layers().stream().filter(which).toList();
        List<CheckItem> items = new ArrayList<>();
        for (int i = 0; i < want.size(); i++) {
            Object value = i < values.size() ? values.get(i) : null;
            items.add(layer(spec, want.get(i), value, want.size() > 1 ? (i + 1) + ". " : ""));
        }
        if (values.size() > want.size()) {
            items.add(CheckItem.fail(
                    "count",
                    1,
                    String.format(
                            "this part has %d layer%s; %d were given.",
                            want.size(), want.size() == 1 ? "" : "s", values.size())));
        }
        return new StepResult(spec.id(), "part " + part, items);
    }

    private static CheckItem layer(ExerciseSpec spec, LayerSpec w, Object value, String prefix) {
        String item = prefix + w.describe();
        if (value == null) {
            return CheckItem.fail(
                    item, 1, "still null: build it with " + w.kind().course() + " and assign it.");
        }
        if (!(value instanceof Layer layer)) {
            return CheckItem.fail(
                    item,
                    1,
                    "this is " + value.getClass().getSimpleName()
                            + ", not a layer configuration: end the builder with .build().");
        }
        LayerView g;
        try {
            g = LayerView.of(1, layer, 0);
        } catch (RuntimeException e) {
            return CheckItem.fail(item, 1, "it could not be inspected (" + e + ").");
        }
        if (g.kind() != w.kind()) {
            return CheckItem.fail(
                    item,
                    1,
                    String.format(
                            "this is %s; the exercise asks for %s (%s in the notebooks).",
                            g.what(), w.kind().withArticle(), w.kind().course()));
        }
        if (w.kind().dropout()) {
            double keep = 1 - w.rate();
            if (Double.isNaN(g.keep()) || Math.abs(g.keep() - keep) > 1e-9) {
                return CheckItem.fail(
                        item,
                        1,
                        String.format(
                                Locale.ROOT,
                                "it keeps %s of the values; DL4J's dropout takes the probability of "
                                        + "KEEPING a value, %.1f for the exercise's rate of %.1f.",
                                Double.isNaN(g.keep())
                                        ? "an unknown share"
                                        : String.format(Locale.ROOT, "%.0f %%", 100 * g.keep()),
                                keep,
                                w.rate()));
            }
            return CheckItem.pass(item, 1, String.format(Locale.ROOT, "keeps %.0f %% of the values", 100 * keep));
        }
        if (w.kind().recurrent() && g.form() != w.form()) {
            return CheckItem.fail(
                    item,
                    1,
                    "it " + g.form().description() + "; the exercise's layer "
                            + w.form().description()
                            + (w.form() == Form.LAST_STEP
                                    ? ": wrap it, new LastTimeStep(new "
                                            + w.kind().course() + ".Builder()...build())."
                                    : "."));
        }
        if (g.nIn() != w.nIn() || g.nOut() != w.nOut()) {
            return CheckItem.fail(
                    item,
                    1,
                    String.format(
                            "it has nIn(%d) and nOut(%d); the exercise's has nIn(%d) and nOut(%d).",
                            g.nIn(), g.nOut(), w.nIn(), w.nOut()));
        }
        if (w.activation() != null
                && g.activation() != w.activation()
                && !(g.kind() == LayerKind.GRU && g.activation() == null)) {
            return CheckItem.fail(
                    item,
                    1,
                    String.format(
                            "its activation is %s; set .activation(Activation.%s)%s",
                            g.activation() == null
                                    ? "not set"
                                    : g.activation().name().toLowerCase(Locale.ROOT),
                            w.activation().name(),
                            g.kind() == LayerKind.LSTM ? " (DL4J's LSTM otherwise takes the sigmoid default)." : "."));
        }
        if (w.resetAfter() != null && g.resetAfter() != null && !w.resetAfter().equals(g.resetAfter())) {
            return CheckItem.fail(
                    item,
                    1,
                    String.format(
                            "it has resetAfter(%s); the exercise is Keras' reset_after=%s.",
                            g.resetAfter(), w.resetAfter() ? "True" : "False"));
        }
        if (w.kind() == LayerKind.OUTPUT
                && (g.loss() == null
                        || g.loss().getClass() != spec.loss().getILossFunction().getClass())) {
            return CheckItem.fail(
                    item,
                    1,
                    String.format(
                            "its loss is %s; a sigmoid output for two classes is trained with binary "
                                    + "cross-entropy: new OutputLayer.Builder(LossFunction.%s).",
                            g.loss(), spec.loss().name()));
        }
        return CheckItem.pass(item, 1, "as the exercise asks");
    }
}
