package org.rnnlab.engine;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.feedforward.embedding.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The computation of a {@link FastEmbedding}: DL4J's forward pass, written in the layout recurrent layers read
 * fastest; in backprop, the gradient of each
 * embedding row is the sum of the output gradients at the positions holding that word, added up in
 * one pass over [batch × length] positions. Double precision, masks, biases and activations other
 * than identity go to DL4J's own implementation, which it extends.
 */
public class FastEmbeddingLayer extends EmbeddingSequenceLayer {

    private final Scratch scratch = new Scratch();

    /** Creates the layer; called by {@link FastEmbedding#instantiate}. */
    public FastEmbeddingLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private boolean fast() {
        var c = layerConf();
        return dataType == DataType.FLOAT
                && maskArray == null
                && !c.hasBias()
                && c.getActivationFn() instanceof ActivationIdentity;
    }

    /**
     * The embedded sequence with the rows laid out step by step ([time, batch, width] in memory, seen as DL4J's
     * [batch, width, time]): the recurrent layer above reads it in one copy, where DL4J's layout needs a
     * reordering pass. Input DL4J would reject (wrong rank or length, an index outside the vocabulary) goes to
     * DL4J's code, for its message.
     */
    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        var c = layerConf();
        boolean shaped = input.rank() == 2 || (input.rank() == 3 && input.size(1) == 1);
        if (!fast() || !shaped || (!c.isInferInputLength() && input.size(input.rank() - 1) != c.getInputLength())) {
            return super.activate(training, workspaceMgr);
        }
        int batch = (int) input.size(0);
        int length = (int) input.size(input.rank() - 1);
        int width = (int) c.getNOut();
        int vocabulary = (int) c.getNIn();
        float[] words = Rows.rowMajor(input.reshape(input.ordering(), batch, length));
        int[] rowsInOrder = new int[length * batch]; // the table's row for each position, step by step
        for (int t = 0; t < length; t++) {
            for (int i = 0; i < batch; i++) {
                float word = words[i * length + t];
                if (!(word >= 0 && word < vocabulary)) {
                    return super.activate(training, workspaceMgr);
                }
                rowsInOrder[t * batch + i] = (int) word;
            }
        }
        if (c.isInferInputLength()) {
            c.setInputLength(length);
        }
        INDArray steps = workspaceMgr.createUninitialized(
                ArrayType.ACTIVATIONS, dataType, new long[] {length, batch, width}, 'c');
        Nd4j.pullRows(
                getParam(DefaultParamInitializer.WEIGHT_KEY),
                steps.reshape('c', (long) length * batch, width),
                1,
                rowsInOrder);
        INDArray out = steps.permute(1, 2, 0);
        return c.getOutputFormat() == RNNFormat.NCW ? out : out.permute(0, 2, 1);
    }

    private static void addRow(float[] from, int off, float[] to, int at, int len) {
        for (int j = 0; j < len; j++) {
            to[at + j] += from[off + j];
        }
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        var c = layerConf();
        if (!fast()) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        assertInputSet(true);
        int batch = (int) input.size(0);
        int length = (int) (input.length() / batch);
        int width = (int) c.getNOut();
        // The output gradients [batch, width, length] read where they lie, whatever the layer's output format.
        Rows.Stored delta =
                Rows.stored(c.getOutputFormat() == RNNFormat.NCW ? epsilon : epsilon.permute(0, 2, 1), scratch, "eps");
        float[] d = delta.values();
        int sb = delta.stride0();
        int sw = delta.stride1();
        int st = delta.stride2();
        float[] words = Rows.rowMajor(input.reshape(input.ordering(), batch, length));
        int vocabulary = Math.toIntExact(c.getNIn());
        float[] grad = scratch.of("gradient", vocabulary * width);
        java.util.Arrays.fill(grad, 0f);
        for (int i = 0; i < batch; i++) {
            for (int t = 0; t < length; t++) {
                int row = (int) words[i * length + t] * width;
                int from = i * sb + t * st;
                if (sw == 1) {
                    addRow(d, from, grad, row, width); // the engine's step-by-step layout: a run of values
                } else {
                    for (int j = 0; j < width; j++) {
                        grad[row + j] += d[from + j * sw];
                    }
                }
            }
        }
        INDArray wg = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
        Rows.assign(grad, vocabulary, width, wg, scratch);
        Gradient g = new DefaultGradient(gradientsFlattened);
        g.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, wg);
        return new Pair<>(g, null);
    }
}
