package org.rnnlab.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** What the layer tests share: double precision for their duration, and DL4J's numerical gradient check. */
public abstract class GradientCheckSupport {

    private static DataType previous;

    @BeforeAll
    public static void doublePrecision() {
        previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    public static void restorePrecision() {
        Nd4j.setDefaultDataTypes(previous, previous);
    }

    /** Initialises {@code net} and moves every parameter a little, so that zero biases are checked too. */
    protected static MultiLayerNetwork initPerturbed(MultiLayerNetwork net) {
        net.init();
        INDArray p = net.params();
        p.addi(Nd4j.rand(p.dataType(), p.shape()).subi(0.5).muli(0.2));
        net.setParams(p);
        return net;
    }

    /** Compares backprop's gradients with central differences; the label mask follows the input mask for sequence labels. */
    protected static void assertGradientsOk(MultiLayerNetwork net, INDArray in, INDArray labels, INDArray mask) {
        assertTrue(
                GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig()
                        .net(net)
                        .input(in)
                        .labels(labels)
                        .inputMask(mask)
                        .labelMask(labels.rank() == 3 ? mask : null)
                        .epsilon(1e-6)
                        .maxRelError(1e-5)
                        .minAbsoluteError(1e-9)),
                "gradient check failed");
    }

    /** The same [batch, features, time] values in every layout a layer may be handed: orders, strides, another type. */
    protected static INDArray[] layouts(INDArray in) {
        return new INDArray[] {
            in.dup('c'), // features and steps both strided
            in.dup('f'), // examples adjacent
            in.permute(0, 2, 1).dup('c').permute(0, 2, 1), // [batch, time, features]: features adjacent
            in.permute(2, 0, 1).dup('c').permute(1, 2, 0), // time-major
            in.castTo(in.dataType() == DataType.FLOAT ? DataType.DOUBLE : DataType.FLOAT), // another type
        };
    }
}
