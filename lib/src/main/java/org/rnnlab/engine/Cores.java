package org.rnnlab.engine;

/**
 * How many threads the engine runs a computation on: the machine's cores, or {@code RNNLAB_THREADS}
 * where set (1 runs everything on the calling thread, as DL4J itself does with {@code OMP_NUM_THREADS=1}).
 */
public final class Cores {

    private Cores() {}

    /** The number of threads to use, at least 1. */
    public static int threads() {
        String set = System.getenv("RNNLAB_THREADS");
        if (set != null && !set.isBlank()) {
            try {
                return Math.max(1, Integer.parseInt(set.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "RNNLAB_THREADS must be a whole number of threads, such as 1 or 2; it is \"" + set + "\"");
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }
}
