package org.rnnlab.train;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The background threads training and prediction share out work to, and waiting for what they compute. */
final class Workers {

    private Workers() {}

    /** {@code count} daemon threads named {@code name}, taking tasks in turn. */
    static ExecutorService start(String name, int count) {
        return Executors.newFixedThreadPool(count, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** The task's result; its own exception where it failed with one ({@code what} names the work otherwise). */
    static <T> T await(Future<T> task, String what) {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r
                    ? r
                    : new IllegalStateException(what + " failed: " + e.getCause(), e.getCause());
        }
    }
}
