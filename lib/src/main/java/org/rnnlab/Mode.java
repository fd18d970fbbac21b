package org.rnnlab;

import java.util.Locale;

/**
 * Quick or full mode, read from the environment variable {@code RNNLAB_MODE}.
 *
 * <p>Quick mode (the launcher's default for {@code run} and {@code test}) trains with the exercise's
 * own settings on a sample of IMDB shipped with the library (6,000 training and 2,000 test reviews),
 * so that a sentiment notebook learns in about a minute. Full mode (the default when the variable is
 * unset, e.g. in a learner's own Jupyter) uses all 50,000 reviews. The notebook code is the same in both.
 */
public enum Mode {
    QUICK,
    FULL;

    /** The environment variable that selects the mode: {@code quick} or {@code full}. */
    public static final String ENV = "RNNLAB_MODE";

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
            default ->
                throw new IllegalArgumentException(ENV + " must be \"quick\" or \"full\", was \"" + value + "\"");
        };
    }

    /** Lower-case name, as written in {@code RNNLAB_MODE}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
