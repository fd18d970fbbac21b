package org.rnnlab.train;

import java.util.Map;
import java.util.OptionalInt;

/**
 * The most epochs any training may run, from the environment variable {@code RNNLAB_MAX_EPOCHS}:
 * lets an instructor fit a full-mode notebook into a workshop slot or a small machine (6.09 asks
 * for up to 100 epochs of a large model) without editing it; the trainer says when it applies.
 */
public final class EpochCap {

    /** The environment variable holding the cap. */
    public static final String ENV = "RNNLAB_MAX_EPOCHS";

    private EpochCap() {}

    /** The cap in {@code RNNLAB_MAX_EPOCHS}, if set. */
    public static OptionalInt fromEnvironment() {
        return of(System.getenv());
    }

    /** The cap in {@code env}'s {@code RNNLAB_MAX_EPOCHS}, if set; a clear error unless it is a whole number of at least 1. */
    public static OptionalInt of(Map<String, String> env) {
        String v = env.get(ENV);
        if (v == null || v.isBlank()) {
            return OptionalInt.empty();
        }
        try {
            int cap = Integer.parseInt(v.strip());
            if (cap >= 1) {
                return OptionalInt.of(cap);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                ENV + " must be a whole number of epochs, at least 1, such as 3; was \"" + v + "\"");
    }
}
