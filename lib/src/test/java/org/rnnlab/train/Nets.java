package org.rnnlab.train;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.conf.dropout.SpatialDropout;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.rnnlab.layers.Orthogonal;

/** Networks the tests share: exercise 6.01's, at any vocabulary and length. */
final class Nets {

    private Nets() {}

    static MultiLayerNetwork simpleRnn(int vocab, int maxLen, double lr) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(42)
                .updater(new RmsProp(lr, 0.9, 1e-7))
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .list()
                .layer(new EmbeddingSequenceLayer.Builder()
                        .nIn(vocab)
                        .nOut(32)
                        .inputLength(maxLen)
                        .weightInit(new UniformDistribution(-0.05, 0.05))
                        .build())
                .layer(new DropoutLayer.Builder()
                        .dropOut(new SpatialDropout(0.6))
                        .build())
                .layer(new LastTimeStep(new SimpleRnn.Builder()
                        .nIn(32)
                        .nOut(32)
                        .activation(Activation.TANH)
                        .weightInitRecurrent(new Orthogonal())
                        .build()))
                .layer(new DropoutLayer(0.6))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT)
                        .nIn(32)
                        .nOut(1)
                        .activation(Activation.SIGMOID)
                        .build())
                .build());
        net.init();
        return net;
    }
}
