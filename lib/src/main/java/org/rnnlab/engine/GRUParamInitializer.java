package org.rnnlab.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.rnnlab.layers.GRU;
import org.rnnlab.layers.Orthogonal;

/** Lays out and initialises a {@link GRU}'s parameters: W [nIn, 3·nOut], RW [nOut, 3·nOut], b [1, 3·nOut] or [1, 6·nOut]. */
public final class GRUParamInitializer implements ParamInitializer {

    /** Input weights. */
    public static final String WEIGHT_KEY = "W";
    /** Recurrent weights. */
    public static final String RECURRENT_WEIGHT_KEY = "RW";
    /** Biases: input biases, then (with resetAfter) recurrent biases. */
    public static final String BIAS_KEY = "b";

    private static final GRUParamInitializer INSTANCE = new GRUParamInitializer();
    private static final List<String> KEYS = List.of(WEIGHT_KEY, RECURRENT_WEIGHT_KEY, BIAS_KEY);

    /** The shared, stateless instance. */
    public static GRUParamInitializer getInstance() {
        return INSTANCE;
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        GRU g = (GRU) layer;
        long nIn = g.getNIn();
        long n = g.getNOut();
        return nIn * 3 * n + n * 3 * n + biasLength(g);
    }

    private static long biasLength(GRU g) {
        return (g.isResetAfter() ? 6 : 3) * g.getNOut();
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return KEYS;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of(WEIGHT_KEY, RECURRENT_WEIGHT_KEY);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return List.of(BIAS_KEY);
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return WEIGHT_KEY.equals(key) || RECURRENT_WEIGHT_KEY.equals(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return BIAS_KEY.equals(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        GRU g = (GRU) conf.getLayer();
        long nIn = g.getNIn();
        long n = g.getNOut();
        if (initializeParams) {
            // Weight initialisers fill a flat view and reshape it themselves ('f' order, like DL4J's layers).
            Map<String, INDArray> flat = views(paramsView, g, false);
            g.getWeightInitFn().init(nIn, 3 * n, new long[] {nIn, 3 * n}, 'f', flat.get(WEIGHT_KEY));
            IWeightInit recurrent =
                    g.getWeightInitFnRecurrent() != null ? g.getWeightInitFnRecurrent() : new Orthogonal();
            recurrent.init(n, 3 * n, new long[] {n, 3 * n}, 'f', flat.get(RECURRENT_WEIGHT_KEY));
            flat.get(BIAS_KEY).assign(g.getBiasInit());
        }
        Map<String, INDArray> m = views(paramsView, g, true);
        conf.addVariable(WEIGHT_KEY);
        conf.addVariable(RECURRENT_WEIGHT_KEY);
        conf.addVariable(BIAS_KEY);
        return m;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views(gradientView, (GRU) conf.getLayer(), true);
    }

    private static Map<String, INDArray> views(INDArray flat, GRU g, boolean reshape) {
        long nIn = g.getNIn();
        long n = g.getNOut();
        INDArray row = flat.reshape(1, flat.length());
        long w = nIn * 3 * n;
        long rw = n * 3 * n;
        Map<String, INDArray> m = new LinkedHashMap<>();
        INDArray wv = row.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, w));
        INDArray rwv = row.get(NDArrayIndex.point(0), NDArrayIndex.interval(w, w + rw));
        INDArray bv = row.get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(w + rw, w + rw + biasLength(g)));
        m.put(WEIGHT_KEY, reshape ? wv.reshape('f', nIn, 3 * n) : wv);
        m.put(RECURRENT_WEIGHT_KEY, reshape ? rwv.reshape('f', n, 3 * n) : rwv);
        m.put(BIAS_KEY, bv);
        return m;
    }
}
