package org.rnnlab.engine;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Connects a freshly created layer implementation to its network the way DL4J's own configurations
 * do in {@code instantiate}: listeners, index, parameter views (initialised by the configuration's
 * initializer) and configuration; shared by this library's layer configurations.
 */
public final class LayerWiring {

    private LayerWiring() {}

    /** Wires {@code layer} (built from {@code config}) into its network and returns it. */
    public static Layer wire(
            Layer layer,
            org.deeplearning4j.nn.conf.layers.Layer config,
            NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners,
            int layerIndex,
            INDArray paramsView,
            boolean initializeParams) {
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(config.initializer().init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }
}
