package org.rnnlab.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class OrthogonalTest {

    private static void assertOrthonormal(double[][] q, boolean columns) {
        int n = columns ? q[0].length : q.length;
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                double dot = 0;
                for (int k = 0; k < (columns ? q.length : q[0].length); k++) {
                    dot += columns ? q[k][a] * q[k][b] : q[a][k] * q[b][k];
                }
                assertEquals(a == b ? 1.0 : 0.0, dot, 1e-9, "entry " + a + "," + b);
            }
        }
    }

    @Test
    void squareTallAndWideMatricesAreOrthonormal() {
        assertOrthonormal(Orthogonal.matrix(32, 32, 1, 1.0), true);
        assertOrthonormal(Orthogonal.matrix(100, 20, 2, 1.0), true);
        assertOrthonormal(Orthogonal.matrix(32, 128, 3, 1.0), false);
    }

    @Test
    void theSeedRepeatsTheMatrixAndTheGainScalesIt() {
        double[][] a = Orthogonal.matrix(8, 8, 5, 1.0);
        assertArrayEquals(a[3], Orthogonal.matrix(8, 8, 5, 1.0)[3]);
        assertEquals(2 * a[2][4], Orthogonal.matrix(8, 8, 5, 2.0)[2][4], 1e-12);
    }

    @Test
    void anLstmsRecurrentWeightsComeOutWithOrthonormalRows() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(1)
                .list()
                .layer(new LSTM.Builder()
                        .nIn(4)
                        .nOut(8)
                        .weightInitRecurrent(new Orthogonal())
                        .build())
                .layer(new org.deeplearning4j.nn.conf.layers.RnnOutputLayer.Builder(
                                org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MSE)
                        .activation(org.nd4j.linalg.activations.Activation.IDENTITY)
                        .nIn(8)
                        .nOut(1)
                        .build())
                .build());
        net.init();
        INDArray rw = net.getLayer(0).getParam("RW"); // 8 x 32
        INDArray gram = rw.mmul(rw.transpose());
        assertEquals(
                0.0, gram.sub(Nd4j.eye(8).castTo(gram.dataType())).norm2Number().doubleValue(), 1e-4);
    }
}
