package org.rnnlab.engine;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.rnnlab.layers.GRU;

/**
 * The computation of a {@link GRU}: forward pass and backpropagation through time. The input
 * projections x_t·W are products over many steps at once, and so are the weight gradients and the
 * gradient to the layer below; only the recurrent products run step by step. In a single-precision network with sigmoid gates, a tanh candidate, no mask and no weight
 * noise (the exercises' case) the time loop runs over float arrays ({@link GruLoop}) and the forward
 * pass is kept for backprop; every other case (double precision, as in gradient checks; masks; other
 * activations; stored state; truncated BPTT) runs the loop as ND4J operations, the reference the fast
 * loop is tested against, which recompute the forward pass in backprop.
 */
public class GRULayer extends BaseRecurrentLayer<GRU> implements ReversiblePrediction {

    /** Key of the last state in the state maps (for {@code rnnTimeStep} and truncated BPTT). */
    public static final String STATE_KEY_PREV_H = "prevH";

    /** Gate values of one forward pass, rows ordered time-major: row t·batch + i is example i at step t. */
    private record Cache(
            INDArray w,
            INDArray rw,
            INDArray x2,
            INDArray preZR,
            INDArray zr,
            INDArray preH,
            INDArray hh,
            INDArray hPrev,
            INDArray u,
            INDArray out) {}

    private GruLoop.Pass kept;
    private GruLoop loop;
    /** How many forward passes took the fast path (tests check that it ran). */
    int fastPasses;

    /** How many of them computed their step products on {@code VectorProducts}. */
    int vectorPasses() {
        return loop == null ? 0 : loop.vectorPasses;
    }

    /** Creates the layer; called by {@link GRU#instantiate}. */
    public GRULayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!fast()) {
            return forward(null, training, false, workspaceMgr).out();
        }
        GruLoop.Pass p = fastForward(training, false, workspaceMgr);
        kept = training ? p : null;
        return output(p, workspaceMgr);
    }

    private INDArray output(GruLoop.Pass p, LayerWorkspaceMgr mgr) {
        return permuteIfNWC(
                Rows.toNcw(p.h(), p.steps(), p.batch(), (int) nOut(), dataType, mgr, ArrayType.ACTIVATIONS));
    }

    @Override
    public boolean predictsReversed() {
        return fast();
    }

    @Override
    public INDArray predictReversed(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        kept = null;
        return output(fastForward(false, true, workspaceMgr), workspaceMgr);
    }

    private boolean fast() {
        GRU c = layerConf();
        return dataType == DataType.FLOAT
                && maskArray == null
                && c.getActivationFn() instanceof ActivationTanH
                && c.getGateActivationFn() instanceof ActivationSigmoid
                && c.getWeightNoise() == null;
    }

    private GruLoop loop() {
        if (loop == null) {
            loop = new GruLoop((int) nOut(), layerConf().isResetAfter());
        }
        return loop;
    }

    private GruLoop.Pass fastForward(boolean training, boolean reversed, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, mgr);
        fastPasses++;
        return loop().forward(
                        input,
                        permuteIfNWC(input),
                        reversed,
                        getParam(GRUParamInitializer.WEIGHT_KEY),
                        getParam(GRUParamInitializer.RECURRENT_WEIGHT_KEY),
                        getParam(GRUParamInitializer.BIAS_KEY));
    }

    private Pair<Gradient, INDArray> fastBackprop(INDArray epsilon, LayerWorkspaceMgr mgr) {
        assertInputSet(true);
        GruLoop.Pass p = kept != null && kept.input() == input ? kept : fastForward(true, false, mgr);
        kept = null;
        int n = (int) nOut();
        INDArray rw = getParam(GRUParamInitializer.RECURRENT_WEIGHT_KEY);
        GruLoop.Deltas d = loop().backward(p, permuteIfNWC(epsilon), rw);
        boolean resetAfter = layerConf().isResetAfter();
        Pair<Gradient, INDArray> g = LoopMath.gradients(
                loop().products(),
                d.input(),
                resetAfter ? d.recurrent() : d.input(),
                d.bias(),
                3 * n,
                p.x(),
                p.h(),
                n,
                p.batch(),
                getParam(GRUParamInitializer.WEIGHT_KEY),
                gradientViews,
                gradientsFlattened,
                dataType,
                mgr,
                GRUParamInitializer.WEIGHT_KEY,
                GRUParamInitializer.RECURRENT_WEIGHT_KEY,
                GRUParamInitializer.BIAS_KEY);
        if (!resetAfter) {
            // The candidate's recurrent weights multiply r ⊙ h_{t-1}, not h_{t-1}: their gradient is (r ⊙
            // h_{t-1})ᵀ·dA_h.
            int rows = p.steps() * p.batch();
            float[] g2 = loop().products()
                    .product(
                            Sgemm.Block.of(p.rec(), rows, n),
                            true,
                            Sgemm.Block.of(d.input(), 2 * n, 3 * n, rows, n),
                            false);
            gradientViews
                    .get(GRUParamInitializer.RECURRENT_WEIGHT_KEY)
                    .get(all(), interval(2 * n, 3 * n))
                    .assign(Rows.matrix(g2, n, n));
        }
        weightNoiseParams.clear();
        return new Pair<>(g.getFirst(), backpropDropOutIfPresent(permuteIfNWC(g.getSecond())));
    }

    @Override
    public void clear() {
        super.clear();
        kept = null;
    }

    @Override
    public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        Cache c = forward(stateMap.get(STATE_KEY_PREV_H), false, false, workspaceMgr);
        storeLast(c, stateMap);
        return c.out();
    }

    @Override
    public INDArray rnnActivateUsingStoredState(
            INDArray input, boolean training, boolean storeLastForTBPTT, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        Cache c = forward(tBpttStateMap.get(STATE_KEY_PREV_H), training, false, workspaceMgr);
        if (storeLastForTBPTT) {
            storeLast(c, tBpttStateMap);
        }
        return c.out();
    }

    private void storeLast(Cache c, java.util.Map<String, INDArray> map) {
        long mb = c.out().size(0);
        long t = c.out().size(2);
        // The state after the last step: the kept h of the last step's rows (a masked step keeps the previous state).
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            map.put(STATE_KEY_PREV_H, lastState(c, mb, t).dup());
        }
    }

    private INDArray lastState(Cache c, long mb, long t) {
        // hPrev holds h_{t-1} for every step; the final state is the step after the last: recompute from the last row
        // block.
        INDArray hPrevLast = c.hPrev().get(interval((t - 1) * mb, t * mb), all());
        INDArray z = c.zr().get(interval((t - 1) * mb, t * mb), interval(0, nOut()));
        INDArray hh = c.hh().get(interval((t - 1) * mb, t * mb), all());
        INDArray h = hh.add(z.mul(hPrevLast.sub(hh)));
        if (maskArray != null) {
            INDArray m = maskArray.get(all(), point(t - 1)).reshape(mb, 1).castTo(h.dataType());
            h = h.mulColumnVector(m).addi(hPrevLast.mulColumnVector(m.rsub(1.0)));
        }
        return h;
    }

    private long nOut() {
        return layerConf().getNOut();
    }

    private Cache forward(INDArray h0, boolean training, boolean forBackprop, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        if (input.rank() != 3) {
            throw new IllegalStateException(
                    "GRU layer " + layerId() + " expects 3D input [batch, features, time], got shape "
                            + java.util.Arrays.toString(input.shape()));
        }
        applyDropOutIfNecessary(training, mgr);
        INDArray in = permuteIfNWC(input);
        long mb = in.size(0);
        long nIn = in.size(1);
        long steps = in.size(2);
        long n = nOut();
        boolean resetAfter = layerConf().isResetAfter();
        IActivation gateFn = layerConf().getGateActivationFn();
        IActivation candFn = layerConf().getActivationFn();

        INDArray w = getParamWithNoise(GRUParamInitializer.WEIGHT_KEY, training, mgr);
        INDArray rw = getParamWithNoise(GRUParamInitializer.RECURRENT_WEIGHT_KEY, training, mgr);
        INDArray b = getParamWithNoise(GRUParamInitializer.BIAS_KEY, training, mgr);
        DataType dt = w.dataType();

        // All input projections at once: x2 is [T·batch, nIn], time-major.
        INDArray x2 = in.permute(2, 0, 1).castTo(dt).dup('c').reshape('c', steps * mb, nIn);
        INDArray xw = x2.mmul(w);
        xw.addiRowVector(b.get(point(0), interval(0, 3 * n)));
        INDArray recBias = resetAfter ? b.get(point(0), interval(3 * n, 6 * n)) : null;
        INDArray rwZR = rw.get(all(), interval(0, 2 * n));
        INDArray rwH = rw.get(all(), interval(2 * n, 3 * n));

        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, dt, new long[] {mb, n, steps}, 'f');
        INDArray preZR = Nd4j.create(dt, steps * mb, 2 * n);
        INDArray zr = Nd4j.create(dt, steps * mb, 2 * n);
        INDArray preH = Nd4j.create(dt, steps * mb, n);
        INDArray hh = Nd4j.create(dt, steps * mb, n);
        INDArray hPrev = Nd4j.create(dt, steps * mb, n);
        INDArray u = resetAfter ? Nd4j.create(dt, steps * mb, n) : null;
        INDArray mask = maskArray == null ? null : maskArray.castTo(dt);

        INDArray h = h0 == null ? Nd4j.zeros(dt, mb, n) : h0.castTo(dt);
        for (long t = 0; t < steps; t++) {
            INDArrayIndex rows = interval(t * mb, (t + 1) * mb);
            INDArray xt = xw.get(rows, all());
            hPrev.get(rows, all()).assign(h);
            INDArray pZR = preZR.get(rows, all());
            INDArray pH = preH.get(rows, all());
            if (!resetAfter) {
                pZR.assign(xt.get(all(), interval(0, 2 * n)));
                Nd4j.gemm(h, rwZR, pZR, false, false, 1.0, 1.0);
            } else {
                INDArray hu = h.mmul(rw).addiRowVector(recBias); // [mb, 3n]
                pZR.assign(xt.get(all(), interval(0, 2 * n)).add(hu.get(all(), interval(0, 2 * n))));
                u.get(rows, all()).assign(hu.get(all(), interval(2 * n, 3 * n)));
            }
            INDArray gates = zr.get(rows, all());
            gates.assign(gateFn.getActivation(pZR.dup(), training));
            INDArray z = gates.get(all(), interval(0, n));
            INDArray r = gates.get(all(), interval(n, 2 * n));
            if (!resetAfter) {
                pH.assign(xt.get(all(), interval(2 * n, 3 * n)));
                Nd4j.gemm(r.mul(h), rwH, pH, false, false, 1.0, 1.0);
            } else {
                pH.assign(xt.get(all(), interval(2 * n, 3 * n)).add(r.mul(u.get(rows, all()))));
            }
            INDArray cand = hh.get(rows, all());
            cand.assign(candFn.getActivation(pH.dup(), training));
            // h_t = ĥ + z ⊙ (h_{t-1} − ĥ)
            INDArray hNew = h.sub(cand).muli(z).addi(cand);
            INDArray outT = out.get(all(), all(), point(t));
            if (mask != null) {
                INDArray m = mask.get(all(), point(t)).reshape(mb, 1);
                outT.assign(hNew.mulColumnVector(m));
                hNew = hNew.mulColumnVector(m).addi(h.mulColumnVector(m.rsub(1.0)));
            } else {
                outT.assign(hNew);
            }
            h = hNew;
        }
        INDArray result = permuteIfNWC(out);
        return forBackprop
                ? new Cache(w, rw, x2, preZR, zr, preH, hh, hPrev, u, result)
                : new Cache(w, rw, null, null, zr, null, hh, hPrev, null, result);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        return tbpttBackpropGradient(epsilon, -1, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(
            INDArray epsilon, int tbpttBackLength, LayerWorkspaceMgr mgr) {
        if (tbpttBackLength <= 0 && fast()) {
            return fastBackprop(epsilon, mgr);
        }
        assertInputSet(true);
        Cache c = forward(null, true, true, mgr);
        INDArray eps = permuteIfNWC(epsilon);
        long mb = eps.size(0);
        long steps = eps.size(2);
        long n = nOut();
        long nIn = layerConf().getNIn();
        boolean resetAfter = layerConf().isResetAfter();
        IActivation gateFn = layerConf().getGateActivationFn();
        IActivation candFn = layerConf().getActivationFn();
        INDArray w = c.w();
        INDArray rw = c.rw();
        DataType dt = w.dataType();
        INDArray rwZR = rw.get(all(), interval(0, 2 * n));
        INDArray rwH = rw.get(all(), interval(2 * n, 3 * n));
        INDArray mask = maskArray == null ? null : maskArray.castTo(dt);

        // dA: gradients of the input projections (z, r, h blocks); dHU (resetAfter): of the recurrent projections.
        INDArray dA = Nd4j.zeros(dt, steps * mb, 3 * n);
        INDArray dHU = resetAfter ? Nd4j.zeros(dt, steps * mb, 3 * n) : null;
        INDArray dh = Nd4j.zeros(dt, mb, n);
        long end = tbpttBackLength > 0 ? Math.max(0, steps - tbpttBackLength) : 0;
        for (long t = steps - 1; t >= end; t--) {
            INDArrayIndex rows = interval(t * mb, (t + 1) * mb);
            INDArray epsT = eps.get(all(), all(), point(t)).castTo(dt);
            INDArray hp = c.hPrev().get(rows, all());
            INDArray z = c.zr().get(rows, interval(0, n));
            INDArray r = c.zr().get(rows, interval(n, 2 * n));
            INDArray cand = c.hh().get(rows, all());
            INDArray m = mask == null ? null : mask.get(all(), point(t)).reshape(mb, 1);

            // Total gradient w.r.t. this step's state, then split between the computed state and the carried one.
            INDArray dState = dh.add(m == null ? epsT : epsT.mulColumnVector(m));
            INDArray dNew = m == null ? dState : dState.mulColumnVector(m);
            INDArray dPrev = m == null ? Nd4j.zeros(dt, mb, n) : dState.mulColumnVector(m.rsub(1.0));

            INDArray dz = dNew.mul(hp.sub(cand)); // ∂h/∂z = h_{t-1} − ĥ
            INDArray dCand = dNew.mul(z.rsub(1.0)); // ∂h/∂ĥ = 1 − z
            dPrev.addi(dNew.mul(z)); // ∂h/∂h_{t-1} through the update gate
            INDArray dPreH =
                    candFn.backprop(c.preH().get(rows, all()).dup(), dCand).getFirst();
            dA.get(rows, interval(2 * n, 3 * n)).assign(dPreH);

            INDArray dr;
            if (!resetAfter) {
                INDArray dRH = dPreH.mmul(rwH.transpose()); // gradient w.r.t. r ⊙ h_{t-1}
                dr = dRH.mul(hp);
                dPrev.addi(dRH.mul(r));
            } else {
                INDArray ut = c.u().get(rows, all());
                dr = dPreH.mul(ut);
                dHU.get(rows, interval(2 * n, 3 * n)).assign(dPreH.mul(r));
            }
            INDArray dGates = Nd4j.concat(1, dz, dr);
            INDArray dPreZR =
                    gateFn.backprop(c.preZR().get(rows, all()).dup(), dGates).getFirst();
            dA.get(rows, interval(0, 2 * n)).assign(dPreZR);
            if (!resetAfter) {
                Nd4j.gemm(dPreZR, rwZR, dPrev, false, true, 1.0, 1.0);
            } else {
                dHU.get(rows, interval(0, 2 * n)).assign(dPreZR);
                Nd4j.gemm(dHU.get(rows, all()), rw, dPrev, false, true, 1.0, 1.0);
            }
            dh = dPrev;
        }

        INDArray wg = gradientViews.get(GRUParamInitializer.WEIGHT_KEY);
        INDArray rwg = gradientViews.get(GRUParamInitializer.RECURRENT_WEIGHT_KEY);
        INDArray bg = gradientViews.get(GRUParamInitializer.BIAS_KEY);
        wg.assign(c.x2().transpose().mmul(dA));
        bg.get(point(0), interval(0, 3 * n)).assign(dA.sum(0));
        if (!resetAfter) {
            rwg.get(all(), interval(0, 2 * n)).assign(c.hPrev().transpose().mmul(dA.get(all(), interval(0, 2 * n))));
            INDArray rh = c.zr().get(all(), interval(n, 2 * n)).mul(c.hPrev());
            rwg.get(all(), interval(2 * n, 3 * n)).assign(rh.transpose().mmul(dA.get(all(), interval(2 * n, 3 * n))));
        } else {
            rwg.assign(c.hPrev().transpose().mmul(dHU));
            bg.get(point(0), interval(3 * n, 6 * n)).assign(dHU.sum(0));
        }

        // Gradient to the layer below: [T·batch, nIn] back to [batch, nIn, T].
        INDArray dx2 = dA.mmul(w.transpose());
        INDArray epsOut = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dt, new long[] {mb, nIn, steps}, 'f');
        epsOut.assign(
                dx2.reshape('c', steps, mb, nIn).permute(1, 2, 0)); // steps before a truncated BPTT window got dA = 0
        weightNoiseParams.clear();

        Gradient g = new DefaultGradient(gradientsFlattened);
        g.gradientForVariable().put(GRUParamInitializer.WEIGHT_KEY, wg);
        g.gradientForVariable().put(GRUParamInitializer.RECURRENT_WEIGHT_KEY, rwg);
        g.gradientForVariable().put(GRUParamInitializer.BIAS_KEY, bg);
        INDArray result = backpropDropOutIfPresent(permuteIfNWC(epsOut));
        return new Pair<>(g, result);
    }
}
