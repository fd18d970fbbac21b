package org.rnnlab.engine;

import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A recurrent layer that predicts over its input read backwards in time without a reversed copy of it: how
 * {@link BidirectionalLastStepLayer} runs its backward half in prediction.
 */
interface ReversiblePrediction {

    /** Whether {@link #predictReversed} applies to this layer as configured (otherwise reverse the input and activate). */
    boolean predictsReversed();

    /** The layer's prediction over {@code input} with its time axis reversed: activate(reverse(input), false). */
    INDArray predictReversed(INDArray input, LayerWorkspaceMgr mgr);
}
