package org.rnnlab;

import java.util.Locale;

/**
 * Quick or full mode, read from the environment variable {@code RNNLAB_MODE}.
 *
 * <p>Quick mode (the launcher's default for {@code run} and {@code test}) trains on a small,
 * shipped sample of IMDB for at most {@link #QUICK_MAX_EPOCHS} epochs so that a notebook runs in
 * about a minute. Full mode (the default when the variable is unset, e.g. in a learner's own
 * Jupyter) uses the exercise's own data and settings. The notebook code is the same in both.
 */
public enum Mode {
    QUICK, FULL;

    /** The environment variable that selects the mode: {@code quick} or {@code full}. */
    public static final String ENV = "RNNLAB_MODE";

    /** The most epochs any training runs for in quick mode. */
    public static final int QUICK_MAX_EPOCHS = 2;

    /** The mode selected by {@code RNNLAB_MODE}; full when unset. */
    public static Mode current() {
        return parse(System.getenv(ENV));
    }

    /** Parses a mode name; null or blank means full. */
    public static Mode parse(String value) {
        if (value == null || value.isBlank()) {
            return FULL;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "quick" -> QUICK;
            case "full" -> FULL;
            default -> throw new IllegalArgumentException(
                    ENV + " must be \"quick\" or \"full\", was \"" + value + "\"");
        };
    }

    /** The epochs to actually train for: the requested number in full mode, at most {@link #QUICK_MAX_EPOCHS} in quick mode. */
    public int epochs(int requested) {
        if (requested < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, was " + requested);
        }
        return this == QUICK ? Math.min(requested, QUICK_MAX_EPOCHS) : requested;
    }

    /** Lower-case name, as written in {@code RNNLAB_MODE}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
