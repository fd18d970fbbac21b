package org.rnnlab.train;

import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Draws a network's initial weights again with another seed, layer by layer as {@code init()} draws
 * them, so that the same notebook can be run with several seeds ({@code ./lab run --seeds}) and its
 * results reported as a mean and a range instead of one lucky number.
 */
public final class Reseed {

    /** Environment variable with the run's seed; when set, the {@link Trainer} reseeds before training. */
    public static final String ENV = "RNNLAB_SEED";

    private Reseed() {}

    /** The seed in {@code RNNLAB_SEED}, if set. */
    public static Optional<Long> fromEnvironment() {
        return of(System.getenv());
    }

    /** The seed in {@code env}'s {@code RNNLAB_SEED}, if set; a clear error if it is not a whole number. */
    public static Optional<Long> of(Map<String, String> env) {
        String v = env.get(ENV);
        if (v == null || v.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(v.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(ENV + " must be a whole number such as 42, was \"" + v + "\"");
        }
    }

    /**
     * Overwrites every parameter of an initialised, untrained network with fresh draws from its own
     * initialisers (same distributions, same layout), seeded with {@code seed}.
     */
    public static void apply(MultiLayerNetwork model, long seed) {
        if (model.getLayers() == null) {
            throw new IllegalStateException("the network is not initialised: call model.init() first");
        }
        Nd4j.getRandom().setSeed(seed);
        for (int i = 0; i < model.getnLayers(); i++) {
            org.deeplearning4j.nn.api.Layer layer = model.getLayer(i);
            if (layer.numParams() == 0) {
                continue;
            }
            NeuralNetConfiguration conf = model.getLayerWiseConfigurations().getConf(i);
            conf.getLayer().initializer().init(conf, layer.params(), true);
        }
    }
}
