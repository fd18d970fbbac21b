package org.rnnlab.train;

import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Recovers a network's output on the training forward pass, so the metric costs no second pass: DL4J
 * hands listeners the input of the output layer, and for a dense output layer the output is one small
 * matrix product away.
 */
final class OutputCapture extends BaseTrainingListener {
    private float[] outputs;

    void clear() {
        outputs = null;
    }

    /** The outputs of the last forward pass since {@link #clear}, row-major; null where none was captured. */
    float[] outputs() {
        return outputs;
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        if (!(model instanceof MultiLayerNetwork net) || activations.isEmpty()) {
            return;
        }
        Layer last = net.getOutputLayer();
        INDArray x = activations.get(activations.size() - 1);
        if (!(last instanceof OutputLayer out) || x.rank() != 2 || activations.size() != net.getnLayers()) {
            return;
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray w = out.getParam("W");
            INDArray z = x.castTo(w.dataType()).mmul(w);
            if (out.hasBias()) {
                z.addiRowVector(out.getParam("b"));
            }
            INDArray p = out.layerConf().getActivationFn().getActivation(z, false);
            outputs = Predictor.floats(p);
        }
    }
}
