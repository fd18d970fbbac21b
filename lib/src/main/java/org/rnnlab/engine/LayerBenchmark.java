package org.rnnlab.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.rnn.LastTimeStepVertex;
import org.deeplearning4j.nn.conf.graph.rnn.ReverseTimeSeriesVertex;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.rnnlab.layers.BidirectionalLastStep;
import org.rnnlab.layers.GRU;

/**
 * Benchmark of this package's layers against DL4J's on IMDB-shaped data (20,000 sequences of 200
 * tokens, vocabulary 8,000, embedding 32, 32 units, batch 128): seconds per training epoch of
 * GRU vs DL4J's LSTM, and of {@link BidirectionalLastStep} vs a ComputationGraph built from DL4J
 * parts. All models run in the same process, one after the other, on the same batches; the ratios
 * are the result. Run with {@code ./lab bench [batches]} (default: a whole epoch, 157 batches).
 */
public final class LayerBenchmark {

    private static final int VOCAB = 8000;
    private static final int LENGTH = 200;
    private static final int UNITS = 32;
    private static final int BATCH = 128;
    private static final int EPOCH_BATCHES = (20_000 + BATCH - 1) / BATCH;

    private LayerBenchmark() {}

    /** One model's time per batch and per (extrapolated) epoch. */
    record Timing(String model, long params, double secondsPerBatch) {
        double secondsPerEpoch() {
            return secondsPerBatch * EPOCH_BATCHES;
        }
    }

    public static void main(String[] args) {
        int batches = args.length > 0 ? Integer.parseInt(args[0]) : EPOCH_BATCHES;
        List<DataSet> data = batches(batches);
        System.out.printf(
                "IMDB-shaped synthetic data: %d batches of %d x %d tokens (vocabulary %d), %d units, OMP_NUM_THREADS=%s%n",
                batches, BATCH, LENGTH, VOCAB, UNITS, System.getenv("OMP_NUM_THREADS"));
        List<Timing> t = new ArrayList<>();
        t.add(time("LSTM (DL4J, LastTimeStep)", () -> mln(new LastTimeStep(lstm())), data));
        t.add(time(
                "GRU (this library, LastTimeStep)",
                () -> mln(new LastTimeStep(
                        new GRU.Builder().nIn(UNITS).nOut(UNITS).build())),
                data));
        t.add(time("Bidirectional LSTM: BidirectionalLastStep", () -> mln(new BidirectionalLastStep(lstm())), data));
        t.add(time("Bidirectional LSTM: graph of DL4J parts", LayerBenchmark::graphReference, data));
        System.out.println();
        System.out.printf("%-44s %10s %12s %12s%n", "model", "params", "s/batch", "s/epoch");
        for (Timing x : t) {
            System.out.printf(
                    "%-44s %,10d %12.3f %12.1f%n", x.model(), x.params(), x.secondsPerBatch(), x.secondsPerEpoch());
        }
        System.out.printf(
                "%nGRU / LSTM: %.2f   BidirectionalLastStep / graph reference: %.2f   (below 1 means faster)%n",
                t.get(1).secondsPerBatch() / t.get(0).secondsPerBatch(),
                t.get(2).secondsPerBatch() / t.get(3).secondsPerBatch());
    }

    private static LSTM lstm() {
        return new LSTM.Builder()
                .nIn(UNITS)
                .nOut(UNITS)
                .activation(Activation.TANH)
                .build();
    }

    private static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder()
                .seed(1)
                .updater(new RmsProp(0.001, 0.9, 1e-7))
                .weightInit(WeightInit.XAVIER_UNIFORM);
    }

    private static EmbeddingSequenceLayer embedding() {
        return new EmbeddingSequenceLayer.Builder()
                .nIn(VOCAB)
                .nOut(UNITS)
                .inputLength(LENGTH)
                .build();
    }

    private static OutputLayer output(int nIn) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.XENT)
                .nIn(nIn)
                .nOut(1)
                .activation(Activation.SIGMOID)
                .build();
    }

    private static Model mln(Layer recurrent) {
        long nOut = recurrent instanceof BidirectionalLastStep ? 2L * UNITS : UNITS;
        MultiLayerNetwork net = new MultiLayerNetwork(base().list()
                .layer(embedding())
                .layer(recurrent)
                .layer(output((int) nOut))
                .build());
        net.init();
        return net;
    }

    private static Model graphReference() {
        ComputationGraph g = new ComputationGraph(base().graphBuilder()
                .addInputs("tokens")
                .addLayer("embedding", embedding(), "tokens")
                .addLayer("fwd", lstm(), "embedding")
                .addVertex("reversed", new ReverseTimeSeriesVertex("tokens"), "embedding")
                .addLayer("bwd", lstm(), "reversed")
                .addVertex("fwdLast", new LastTimeStepVertex("tokens"), "fwd")
                .addVertex("bwdLast", new LastTimeStepVertex("tokens"), "bwd")
                .addVertex("merged", new MergeVertex(), "fwdLast", "bwdLast")
                .addLayer("out", output(2 * UNITS), "merged")
                .setOutputs("out")
                .build());
        g.init();
        return g;
    }

    private static List<DataSet> batches(int n) {
        return org.rnnlab.data.SyntheticImdb.batches(n, BATCH, LENGTH, VOCAB, new Random(42));
    }

    private static Timing time(String name, Supplier<Model> make, List<DataSet> data) {
        Model m = make.get();
        for (int i = 0; i < Math.min(3, data.size()); i++) {
            fit(m, data.get(i)); // warm-up: JIT, workspaces
        }
        long start = System.nanoTime();
        for (DataSet d : data) {
            fit(m, d);
        }
        double perBatch = (System.nanoTime() - start) / 1e9 / data.size();
        System.out.printf("  %-44s %.3f s/batch%n", name, perBatch);
        return new Timing(name, m.numParams(), perBatch);
    }

    private static void fit(Model m, DataSet d) {
        if (m instanceof MultiLayerNetwork n) {
            n.fit(d);
        } else {
            INDArray f = d.getFeatures();
            ((ComputationGraph) m).fit(new INDArray[] {f}, new INDArray[] {d.getLabels()});
        }
    }
}
