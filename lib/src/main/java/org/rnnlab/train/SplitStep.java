package org.rnnlab.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.deeplearning4j.nn.api.OptimizationAlgorithm;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.optimize.solvers.BaseOptimizer;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.rnnlab.engine.FastNetwork;

/**
 * One training step on a batch divided between the cores: each part's gradient is computed by a network
 * of its own that shares the parameters, the parts' gradients are added, and DL4J's updater applies the sum
 * once, the update {@code fit} makes with the whole batch (DL4J's losses sum their gradients over the batch
 * and the updater divides by its size). Networks it does not cover (masks, truncated backprop, optimisers
 * other than gradient descent, one core) are stepped by DL4J's own {@code fit}.
 */
final class SplitStep implements AutoCloseable {

    /** The smallest part worth a thread of its own. */
    static final int MIN_PART = 8;

    /** What one step reports: the batch's mean loss before the update and its outputs, where captured (else null). */
    record Result(double score, float[] outputs) {}

    private final MultiLayerNetwork net;
    private final OutputCapture capture;
    private final List<MultiLayerNetwork> helpers = new ArrayList<>();
    private final List<OutputCapture> captures = new ArrayList<>();
    /** One thread per helper, so that a helper's workspaces and random generator stay on its thread. */
    private final List<ExecutorService> threads = new ArrayList<>();

    /**
     * Steps {@code net} (which carries the optimiser state and {@code capture}), on {@code threads} threads where
     * it can; {@code model} is the network {@code net} computes, from which the helpers' copies are made.
     */
    SplitStep(MultiLayerNetwork model, MultiLayerNetwork net, OutputCapture capture, int threads) {
        this.net = net;
        this.capture = capture;
        boolean splittable = net.getLayerWiseConfigurations().getBackpropType() != BackpropType.TruncatedBPTT
                && net.conf().getOptimizationAlgo() == OptimizationAlgorithm.STOCHASTIC_GRADIENT_DESCENT;
        for (int i = 1; splittable && i < threads; i++) {
            MultiLayerNetwork helper = FastNetwork.twin(model);
            OutputCapture c = new OutputCapture();
            helper.addListeners(c);
            ExecutorService thread = Workers.start("rnnlab-train", 1);
            helpers.add(helper);
            captures.add(c);
            this.threads.add(thread);
            // The helper draws its dropout masks from its thread's generator: seeded from the caller's, so that a
            // seeded run stays reproducible.
            long seed = Nd4j.getRandom().nextLong();
            Workers.await(thread.submit(() -> Nd4j.getRandom().setSeed(seed)), "seeding");
        }
    }

    /** Trains on {@code batch}: one update of the parameters. */
    Result fit(DataSet batch) {
        int n = batch.numExamples();
        int parts = helpers.isEmpty() || batch.hasMaskArrays() ? 1 : Math.min(helpers.size() + 1, n / MIN_PART);
        capture.clear();
        if (parts <= 1) {
            net.fit(batch);
            return new Result(net.score(), capture.outputs());
        }
        int[] from = new int[parts + 1];
        for (int p = 0; p <= parts; p++) {
            from[p] = (int) ((long) n * p / parts);
        }
        List<Future<Double>> running = new ArrayList<>();
        for (int p = 1; p < parts; p++) {
            MultiLayerNetwork helper = helpers.get(p - 1);
            OutputCapture c = captures.get(p - 1);
            INDArray x = rows(batch.getFeatures(), from[p], from[p + 1]);
            INDArray y = rows(batch.getLabels(), from[p], from[p + 1]);
            helper.setIterationCount(net.getIterationCount());
            helper.setEpochCount(net.getEpochCount());
            running.add(threads.get(p - 1).submit(() -> gradientOf(helper, c, x, y)));
        }
        double sum =
                gradientOf(net, capture, rows(batch.getFeatures(), 0, from[1]), rows(batch.getLabels(), 0, from[1]))
                        * from[1];
        float[] outputs = capture.outputs();
        INDArray gradients = net.getFlattenedGradients();
        for (int p = 1; p < parts; p++) {
            sum += Workers.await(running.get(p - 1), "training") * (from[p + 1] - from[p]);
            gradients.addi(helpers.get(p - 1).getFlattenedGradients());
            outputs = join(outputs, captures.get(p - 1).outputs());
        }
        update(n);
        return new Result(sum / n, outputs);
    }

    /** The mean loss of {@code net} on x, y; its gradient (summed over the rows) is left in its gradient array. */
    private static double gradientOf(MultiLayerNetwork net, OutputCapture capture, INDArray x, INDArray y) {
        capture.clear();
        net.setInput(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        return net.score();
    }

    /** What DL4J's gradient descent does with a computed gradient: the updater, the step, listeners, counts. */
    private void update(int batchSize) {
        int iteration = net.getIterationCount();
        int epoch = net.getEpochCount();
        Gradient gradient = net.gradient();
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            for (TrainingListener l : net.getListeners()) {
                l.onGradientCalculation(net);
            }
            net.getUpdater(true).update(net, gradient, iteration, epoch, batchSize, LayerWorkspaceMgr.noWorkspaces());
            INDArray g = gradient.gradient();
            net.params().subi(g.reshape(g.length()));
            for (TrainingListener l : net.getListeners()) {
                l.iterationDone(net, iteration, epoch);
            }
        }
        BaseOptimizer.incrementIterationCount(net, 1);
        BaseOptimizer.applyConstraints(net);
        net.clearLayersStates();
    }

    private static INDArray rows(INDArray a, int from, int to) {
        INDArrayIndex[] index = new INDArrayIndex[a.rank()];
        index[0] = NDArrayIndex.interval(from, to);
        for (int i = 1; i < index.length; i++) {
            index[i] = NDArrayIndex.all();
        }
        return a.get(index).dup('c');
    }

    private static float[] join(float[] a, float[] b) {
        if (a == null || b == null) {
            return null;
        }
        float[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    @Override
    public void close() {
        threads.forEach(ExecutorService::shutdownNow);
    }
}
