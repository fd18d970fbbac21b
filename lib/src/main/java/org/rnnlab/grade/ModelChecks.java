package org.rnnlab.grade;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;

/**
 * Compares a learner's network with the layers an exercise asks for, item by item (layer types and
 * order, units and inputs, activations, dropout, parameter count), each with a hint naming the first
 * layer that differs and how to fix it. Never throws: a missing or half-built model fails with a hint.
 */
final class ModelChecks {

    /** Points of the model step: one per item. */
    static final int POINTS = 5;

    static final String LAYERS = "layer types and order";
    static final String UNITS = "units and inputs";
    static final String ACTIVATIONS = "activations";
    static final String DROPOUT = "dropout";
    static final String PARAMS = "parameter count";

    private ModelChecks() {}

    static StepResult check(ExerciseSpec spec, MultiLayerNetwork model) {
        String step = "model";
        if (model == null) {
            return allFail(
                    spec,
                    step,
                    "`model` is null: build the network (the \"Code it!\" cells above), call init() and assign it to `model`.");
        }
        List<LayerView> got;
        try {
            got = LayerView.of(model);
        } catch (RuntimeException e) {
            return allFail(
                    spec,
                    step,
                    "the network could not be inspected (" + e + "): rebuild it from a fresh configuration.");
        }
        List<LayerSpec> want = spec.layers();
        List<CheckItem> items = new ArrayList<>();
        items.add(layers(want, got));
        items.add(units(want, got));
        items.add(activations(want, got));
        items.add(dropout(want, got));
        items.add(params(spec, got));
        return new StepResult(spec.id(), step, items);
    }

    static StepResult allFail(ExerciseSpec spec, String step, String hint) {
        return new StepResult(
                spec.id(),
                step,
                List.of(
                        CheckItem.fail(LAYERS, 1, hint),
                        CheckItem.fail(UNITS, 1, hint),
                        CheckItem.fail(ACTIVATIONS, 1, hint),
                        CheckItem.fail(DROPOUT, 1, hint),
                        CheckItem.fail(PARAMS, 1, hint)));
    }

    // --- layer types and order ----------------------------------------------------------------
    private static CheckItem layers(List<LayerSpec> want, List<LayerView> got) {
        for (int i = 0; i < Math.max(want.size(), got.size()); i++) {
            if (i >= got.size()) {
                LayerSpec w = want.get(i);
                return CheckItem.fail(
                        LAYERS,
                        1,
                        String.format(
                                "the network ends after %s; the exercise continues with %s (%s in the notebooks).",
                                got.isEmpty()
                                        ? "no layers"
                                        : got.get(got.size() - 1).name(),
                                w.describe(),
                                w.kind().course()));
            }
            LayerView g = got.get(i);
            if (i >= want.size()) {
                return CheckItem.fail(
                        LAYERS,
                        1,
                        String.format(
                                "%s is one layer too many: the exercise ends with %s.",
                                g.name(), want.get(want.size() - 1).describe()));
            }
            LayerSpec w = want.get(i);
            if (g.kind() != w.kind()) {
                if (g.kind().dropout() && w.kind().dropout()) {
                    return CheckItem.fail(
                            LAYERS,
                            1,
                            String.format(
                                    "%s is %s; the exercise asks for %s here (%s in the notebooks).",
                                    g.name(),
                                    g.kind().withArticle(),
                                    w.kind().withArticle(),
                                    w.kind().course()));
                }
                return CheckItem.fail(
                        LAYERS,
                        1,
                        String.format(
                                "%s is %s; this exercise asks for %s here (%s, %s in the notebooks).",
                                "layer " + g.position(),
                                g.what(),
                                w.kind().withArticle(),
                                w.describe(),
                                w.kind().course()));
            }
            if (w.kind().recurrent() && g.form() != w.form()) {
                return CheckItem.fail(LAYERS, 1, formHint(g, w));
            }
        }
        return CheckItem.pass(
                LAYERS,
                1,
                want.size() + " layers: "
                        + want.stream().map(LayerSpec::describe).collect(Collectors.joining(" → ")));
    }

    private static String formHint(LayerView g, LayerSpec w) {
        if (w.form() == Form.LAST_STEP && g.form() == Form.SEQUENCE) {
            return g.name()
                    + " passes on its whole sequence; wrap it in LastTimeStep(...) so that only its last state reaches the next layer.";
        }
        if (w.form() == Form.SEQUENCE && g.form() == Form.LAST_STEP) {
            return g.name() + " passes on its last state only, but the next recurrent layer needs the whole sequence "
                    + "(Keras' return_sequences=True): do not wrap it in LastTimeStep.";
        }
        if (w.form() == Form.BIDIRECTIONAL && g.form() == Form.LAST_STEP_OF_BIDIRECTIONAL) {
            return g.name()
                    + " is LastTimeStep(Bidirectional(...)): its backward half is taken at the last step, after reading a single "
                    + "token. Keras' Bidirectional keeps the backward direction's final state: use BidirectionalLastStep(...).";
        }
        if (w.form() == Form.BIDIRECTIONAL) {
            return g.name() + " " + g.form().description() + "; the exercise reads each review both ways: "
                    + "new BidirectionalLastStep(new " + w.kind().course() + ".Builder()...build()).";
        }
        return g.name() + " " + g.form().description() + "; the exercise's layer "
                + w.form().description() + ".";
    }

    // --- units and inputs ---------------------------------------------------------------------
    private static CheckItem units(List<LayerSpec> want, List<LayerView> got) {
        int compared = 0;
        for (int i = 0; i < Math.min(want.size(), got.size()); i++) {
            LayerSpec w = want.get(i);
            LayerView g = got.get(i);
            if (!comparable(w, g) || w.kind().dropout()) {
                continue;
            }
            compared++;
            if (g.nOut() != w.nOut()) {
                String what = switch (w.kind()) {
                    case EMBEDDING -> "makes vectors of %d numbers; the exercise's have %d";
                    case OUTPUT -> "has %d output units; the exercise has %d";
                    default -> "has %d units; the exercise asks for %d";
                };
                return CheckItem.fail(
                        UNITS,
                        1,
                        g.name() + " " + String.format(what, g.nOut(), w.nOut()) + ": nOut(" + w.nOut() + ").");
            }
            if (g.nIn() != w.nIn()) {
                String why = w.kind() == LayerKind.EMBEDDING
                        ? String.format(Locale.ROOT, "the vocabulary has %,d words", w.nIn())
                        : "that is what the layer before it hands on";
                return CheckItem.fail(
                        UNITS,
                        1,
                        String.format(
                                "%s takes nIn(%d); it should take %d (%s): nIn(%d).",
                                g.name(), g.nIn(), w.nIn(), why, w.nIn()));
            }
        }
        if (compared == 0) {
            return CheckItem.fail(UNITS, 1, "no layer could be compared: fix the layer types and order first.");
        }
        return CheckItem.pass(UNITS, 1, "every layer has the exercise's inputs and units");
    }

    // --- activations --------------------------------------------------------------------------
    private static CheckItem activations(List<LayerSpec> want, List<LayerView> got) {
        int compared = 0;
        for (int i = 0; i < Math.min(want.size(), got.size()); i++) {
            LayerSpec w = want.get(i);
            LayerView g = got.get(i);
            if (!comparable(w, g) || w.activation() == null) {
                continue;
            }
            compared++;
            if (g.activation() != w.activation() && !(g.kind() == LayerKind.GRU && g.activation() == null)) {
                String name = g.activation() == null
                        ? "a custom activation"
                        : g.activation().name();
                String extra = g.kind() == LayerKind.LSTM && g.activation() == Activation.SIGMOID
                        ? " DL4J's LSTM takes the network's default activation (sigmoid) unless you set one; Keras' LSTM uses tanh."
                        : "";
                return CheckItem.fail(
                        ACTIVATIONS,
                        1,
                        String.format(
                                "%s uses %s; the exercise's uses %s: .activation(Activation.%s).%s",
                                g.name(),
                                name,
                                w.activation().name().toLowerCase(Locale.ROOT),
                                w.activation().name(),
                                extra));
            }
            if (w.resetAfter() != null
                    && g.resetAfter() != null
                    && !w.resetAfter().equals(g.resetAfter())) {
                return CheckItem.fail(
                        ACTIVATIONS,
                        1,
                        String.format(
                                "%s has resetAfter(%s); the exercise is Keras' reset_after=%s: resetAfter(%s).",
                                g.name(), g.resetAfter(), w.resetAfter() ? "True" : "False", w.resetAfter()));
            }
        }
        if (compared == 0) {
            return CheckItem.fail(ACTIVATIONS, 1, "no layer could be compared: fix the layer types and order first.");
        }
        return CheckItem.pass(
                ACTIVATIONS,
                1,
                "recurrent layers tanh, output "
                        + want.get(want.size() - 1).activation().name().toLowerCase(Locale.ROOT));
    }

    // --- dropout ------------------------------------------------------------------------------
    private static CheckItem dropout(List<LayerSpec> want, List<LayerView> got) {
        int compared = 0;
        for (int i = 0; i < Math.min(want.size(), got.size()); i++) {
            LayerSpec w = want.get(i);
            LayerView g = got.get(i);
            if (!w.kind().dropout() || !g.kind().dropout()) {
                continue;
            }
            compared++;
            double keep = 1 - w.rate();
            if (Double.isNaN(g.keep()) || Math.abs(g.keep() - keep) > 1e-9) {
                if (Math.abs(g.keep() - w.rate()) < 1e-9) {
                    return CheckItem.fail(
                            DROPOUT,
                            1,
                            String.format(
                                    Locale.ROOT,
                                    "%s keeps %.0f %% of the values. DL4J's dropout takes the probability of keeping a unit: %.1f for the exercise's %.1f.",
                                    g.name(),
                                    100 * g.keep(),
                                    keep,
                                    w.rate()));
                }
                return CheckItem.fail(
                        DROPOUT,
                        1,
                        String.format(
                                Locale.ROOT,
                                "%s keeps %s of the values; the exercise drops %.0f %%, so DL4J's keep probability is %.1f.",
                                g.name(),
                                Double.isNaN(g.keep())
                                        ? "an unknown share"
                                        : String.format(Locale.ROOT, "%.0f %%", 100 * g.keep()),
                                100 * w.rate(),
                                keep));
            }
        }
        long wanted = want.stream().filter(l -> l.kind().dropout()).count();
        if (compared < wanted) {
            return CheckItem.fail(
                    DROPOUT,
                    1,
                    "the exercise has " + wanted + " dropout layers ("
                            + want.stream()
                                    .filter(l -> l.kind().dropout())
                                    .map(LayerSpec::describe)
                                    .collect(Collectors.joining(", "))
                            + ") and not all of them are in place: fix the layer types and order first.");
        }
        return CheckItem.pass(
                DROPOUT,
                1,
                want.stream()
                                .filter(l -> l.kind().dropout())
                                .map(LayerSpec::describe)
                                .collect(Collectors.joining(", ")) + ", as keep probabilities");
    }

    // --- parameter count ----------------------------------------------------------------------
    private static CheckItem params(ExerciseSpec spec, List<LayerView> got) {
        if (got.stream().anyMatch(v -> v.params() < 0)) {
            return CheckItem.fail(
                    PARAMS,
                    1,
                    "the network has no parameters yet: call model.init() after new MultiLayerNetwork(conf).");
        }
        long recurrent = got.stream()
                .filter(LayerView::recurrent)
                .mapToLong(LayerView::params)
                .sum();
        long total = got.stream().mapToLong(LayerView::params).sum();
        if (recurrent != spec.recurrentParams()) {
            boolean gru = got.stream().anyMatch(v -> v.kind() == LayerKind.GRU);
            return CheckItem.fail(
                    PARAMS,
                    1,
                    String.format(
                            Locale.ROOT,
                            "the recurrent %s %,d parameters, expected %,d: check %s.",
                            got.stream().filter(LayerView::recurrent).count() == 1 ? "layer has" : "layers have",
                            recurrent,
                            spec.recurrentParams(),
                            gru ? "nIn, nOut and resetAfter" : "nIn and nOut"));
        }
        if (total != spec.totalParams()) {
            return CheckItem.fail(
                    PARAMS,
                    1,
                    String.format(
                            Locale.ROOT,
                            "the network has %,d parameters, expected %,d: check the embedding's and the output layer's nIn and nOut.",
                            total,
                            spec.totalParams()));
        }
        return CheckItem.pass(
                PARAMS, 1, String.format(Locale.ROOT, "%,d recurrent parameters, %,d in all", recurrent, total));
    }

    /** Whether a learner's layer can be compared with the exercise's: the same kind, or both recurrent. */
    private static boolean comparable(LayerSpec w, LayerView g) {
        return Objects.equals(w.kind(), g.kind())
                || (w.kind().recurrent() && g.kind().recurrent());
    }
}
