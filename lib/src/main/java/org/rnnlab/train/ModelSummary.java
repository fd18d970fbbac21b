package org.rnnlab.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Keras' {@code model.summary()} for a DL4J network: each layer's name, type, output shape and
 * parameter count, and the totals. Shapes are DL4J's: recurrent outputs are (batch, features, time).
 */
public record ModelSummary(List<Row> rows, long totalParams, long trainableParams) {

    /** One layer of the summary. */
    public record Row(String name, String type, String outputShape, long params) {}

    /** Copies the rows. */
    public ModelSummary {
        rows = List.copyOf(rows);
    }

    /** Summarises a network; output shapes are worked out from the first layer's input (an embedding's {@code inputLength} gives the time steps). */
    public static ModelSummary of(MultiLayerNetwork model) {
        return of(
                model, firstInput(model.getLayerWiseConfigurations().getConf(0).getLayer()));
    }

    /** Summarises a network fed with {@code input}, e.g. {@code InputType.recurrent(10, 5)} for 5 steps of 10 features. */
    public static ModelSummary of(MultiLayerNetwork model, InputType input) {
        List<NeuralNetConfiguration> confs = model.getLayerWiseConfigurations().getConfs();
        InputType type = input;
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < confs.size(); i++) {
            var layer = confs.get(i).getLayer();
            InputPreProcessor pre = model.getLayerWiseConfigurations().getInputPreProcess(i);
            if (type != null && pre != null) {
                type = pre.getOutputType(type);
            }
            InputType before = type;
            try {
                type = type == null ? null : layer.getOutputType(i, type);
            } catch (RuntimeException e) {
                type = null;
            }
            // A recurrent layer keeps its input's length; DL4J's Bidirectional forgets to say so.
            if (before instanceof InputType.InputTypeRecurrent in
                    && type instanceof InputType.InputTypeRecurrent out
                    && out.getTimeSeriesLength() <= 0
                    && in.getTimeSeriesLength() > 0) {
                type = InputType.recurrent(out.getSize(), in.getTimeSeriesLength());
            }
            String name = layer.getLayerName() != null ? layer.getLayerName() : "layer" + i;
            rows.add(new Row(
                    name, typeName(layer), shape(type), model.getLayer(i).numParams()));
        }
        long total = rows.stream().mapToLong(Row::params).sum();
        return new ModelSummary(rows, total, total);
    }

    /**
     * Summarises a computation graph in topological order; the type of a vertex that is no layer
     * names the vertex and its inputs. Output shapes are worked out from {@code inputTypes} (one per
     * network input, e.g. {@code InputType.recurrent(1, 200)}); without them they show as "?".
     */
    public static ModelSummary of(ComputationGraph graph, InputType... inputTypes) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        Map<String, InputType> types = new java.util.HashMap<>();
        if (inputTypes.length == conf.getNetworkInputs().size()) {
            try {
                types.putAll(conf.getLayerActivationTypes(false, false, inputTypes));
            } catch (RuntimeException e) {
                types.clear();
            }
            for (int i = 0; i < inputTypes.length; i++) {
                types.put(conf.getNetworkInputs().get(i), inputTypes[i]);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (String name : conf.getTopologicalOrderStr()) {
            GraphVertex v = conf.getVertices().get(name);
            String type;
            long params = 0;
            if (v == null) {
                type = "Input";
            } else if (v instanceof LayerVertex lv) {
                type = typeName(lv.getLayerConf().getLayer());
                params = graph.getLayer(name).numParams();
            } else {
                type = v.getClass().getSimpleName().replace("Vertex", "") + " ← "
                        + conf.getVertexInputs().get(name);
            }
            rows.add(new Row(name, type, shape(types.get(name)), params));
        }
        long total = rows.stream().mapToLong(Row::params).sum();
        return new ModelSummary(rows, total, total);
    }

    /** Prints the summary of a computation graph, or a hint if there is no model yet. */
    public static void print(ComputationGraph graph, InputType... inputTypes) {
        if (graph == null) {
            System.out.println(
                    "⚠ There is no model yet: build it in the \"Code it!\" cell above and run that cell first.");
            return;
        }
        System.out.print(of(graph, inputTypes));
    }

    /** Parameters of one layer, by position from 0. */
    public long params(int layer) {
        return rows.get(layer).params();
    }

    private static InputType firstInput(org.deeplearning4j.nn.conf.layers.Layer first) {
        if (first instanceof EmbeddingSequenceLayer e) {
            return InputType.recurrent(1, e.getInputLength());
        }
        if (first instanceof EmbeddingLayer) {
            return InputType.feedForward(1);
        }
        org.deeplearning4j.nn.conf.layers.Layer inner = first;
        while (inner instanceof BaseWrapperLayer w) {
            inner = w.getUnderlying();
        }
        if (inner instanceof Bidirectional b) {
            inner = b.getFwd();
        }
        if (inner instanceof BaseRecurrentLayer r) {
            return InputType.recurrent(r.getNIn());
        }
        if (inner instanceof FeedForwardLayer f) {
            return InputType.feedForward(f.getNIn());
        }
        return null;
    }

    private static String typeName(org.deeplearning4j.nn.conf.layers.Layer layer) {
        if (layer instanceof org.rnnlab.layers.BidirectionalLastStep b
                && b.getUnderlying() instanceof Bidirectional bi) {
            return "BidirectionalLastStep(" + typeName(bi.getFwd()) + ")";
        }
        if (layer instanceof BaseWrapperLayer w) {
            return layer.getClass().getSimpleName() + "(" + typeName(w.getUnderlying()) + ")";
        }
        if (layer instanceof Bidirectional b) {
            return "Bidirectional(" + typeName(b.getFwd()) + ")";
        }
        return layer.getClass().getSimpleName();
    }

    private static String shape(InputType t) {
        if (t == null) {
            return "?";
        }
        return switch (t.getType()) {
            case FF -> "(None, " + ((InputType.InputTypeFeedForward) t).getSize() + ")";
            case RNN -> {
                InputType.InputTypeRecurrent r = (InputType.InputTypeRecurrent) t;
                yield "(None, " + r.getSize() + ", " + (r.getTimeSeriesLength() > 0 ? r.getTimeSeriesLength() : "None")
                        + ")";
            }
            default -> t.toString();
        };
    }

    @Override
    public String toString() {
        int w1 = Math.max(
                28,
                rows.stream()
                                .mapToInt(r -> r.name().length() + r.type().length() + 3)
                                .max()
                                .orElse(0)
                        + 2);
        int w2 = Math.max(
                20, rows.stream().mapToInt(r -> r.outputShape().length()).max().orElse(0) + 2);
        String rule = "_".repeat(w1 + w2 + 12);
        StringBuilder sb = new StringBuilder();
        sb.append(rule).append('\n');
        sb.append(String.format("%-" + w1 + "s%-" + w2 + "s%12s%n", "Layer (type)", "Output Shape", "Param #"));
        sb.append("=".repeat(rule.length())).append('\n');
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            sb.append(String.format(
                    "%-" + w1 + "s%-" + w2 + "s%,12d%n",
                    r.name() + " (" + r.type() + ")",
                    r.outputShape(),
                    r.params()));
            sb.append(i == rows.size() - 1 ? "=".repeat(rule.length()) : rule).append('\n');
        }
        sb.append(String.format("Total params: %,d%n", totalParams));
        sb.append(String.format("Trainable params: %,d%n", trainableParams));
        sb.append(String.format("Non-trainable params: %,d%n", totalParams - trainableParams));
        sb.append(rule).append('\n');
        sb.append("Shapes are DL4J's: (batch, features, time) for sequences; Keras writes (batch, time, features).\n");
        return sb.toString();
    }

    /** Prints the summary of {@code model}, or a hint if there is no model yet. */
    public static void print(MultiLayerNetwork model) {
        print(model, null);
    }

    /** Prints the summary of {@code model} fed with {@code input} (null: worked out from the first layer). */
    public static void print(MultiLayerNetwork model, InputType input) {
        if (model == null) {
            System.out.println(
                    "⚠ There is no model yet: build it in the \"Code it!\" cell above and run that cell first.");
            return;
        }
        System.out.print(input == null ? of(model) : of(model, input));
    }
}
