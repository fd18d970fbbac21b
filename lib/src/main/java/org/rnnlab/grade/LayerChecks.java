package org.rnnlab.grade;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * Checks recurrent layers a learner created on their own (not yet in a network), one item per
 * layer: its kind, inputs, units and activation. Never throws.
 */
final class LayerChecks {

    private LayerChecks() {}

    static StepResult check(ExerciseSpec spec, List<String> names, List<Layer> layers) {
        List<CheckItem> items = new ArrayList<>();
        for (int i = 0; i < spec.layers().size(); i++) {
            LayerSpec w = spec.layers().get(i);
            String item = w.kind().keras() + " layer";
            Layer layer = i < layers.size() ? layers.get(i) : null;
            if (layer == null) {
                items.add(CheckItem.fail(
                        item,
                        1,
                        "`" + names.get(i) + "` is null: create " + w.kind().withArticle() + " with nIn(" + w.nIn()
                                + ") and nOut(" + w.nOut() + ")."));
                continue;
            }
            LayerView g;
            try {
                g = LayerView.of(1, layer, 0);
            } catch (RuntimeException e) {
                items.add(CheckItem.fail(item, 1, "`" + names.get(i) + "` could not be inspected (" + e + ")."));
                continue;
            }
            String who = "`" + names.get(i) + "`";
            if (g.kind() != w.kind()) {
                items.add(CheckItem.fail(
                        item,
                        1,
                        String.format(
                                "%s is %s; it should be %s (DL4J: %s).",
                                who, g.what(), w.kind().withArticle(), w.kind().dl4j())));
            } else if (g.nIn() != w.nIn() || g.nOut() != w.nOut()) {
                items.add(CheckItem.fail(
                        item,
                        1,
                        String.format(
                                "%s has nIn(%d), nOut(%d); the exercise's reads %d feature%s with %d units: "
                                        + "nIn(%d).nOut(%d).",
                                who,
                                g.nIn(),
                                g.nOut(),
                                w.nIn(),
                                w.nIn() == 1 ? "" : "s",
                                w.nOut(),
                                w.nIn(),
                                w.nOut())));
            } else if (g.activation() != null && g.activation() != w.activation()) {
                items.add(CheckItem.fail(
                        item,
                        1,
                        String.format(
                                Locale.ROOT,
                                "%s uses %s; recurrent layers here use tanh: " + ".activation(Activation.TANH)%s",
                                who,
                                g.activation().name(),
                                g.kind() == LayerKind.LSTM
                                        ? " (DL4J's LSTM otherwise takes the sigmoid default)."
                                        : ".")));
            } else {
                items.add(CheckItem.pass(item, 1, w.kind().keras() + "(" + w.nOut() + ") on " + w.nIn() + " input"));
            }
        }
        return new StepResult(spec.id(), "layers", items);
    }
}
