package org.rnnlab.train;

import java.io.PrintStream;
import java.util.Map;

/**
 * Keras' training progress line: {@code 45/157 [=====>........] - ETA: 8s - loss: 0.69 - accuracy: 0.53},
 * redrawn in place with a carriage return, at most a few times a second (when live; otherwise only
 * the epoch's final line is written).
 */
final class ProgressBar {

    private static final int WIDTH = 20; // Keras draws 30; 20 keeps an epoch line within a notebook's width
    private static final long MIN_REDRAW_NANOS = 250_000_000L;

    private final PrintStream out;
    private final int steps;
    private final boolean live;
    private final long start = System.nanoTime();
    private long lastDraw;

    ProgressBar(PrintStream out, int steps, boolean live) {
        this.out = out;
        this.steps = steps;
        this.live = live;
    }

    /** Redraws the line after {@code step} of the steps, if enough time has passed since the last redraw. */
    void update(int step, Map<String, Double> metrics) {
        long now = System.nanoTime();
        if (!live || step < steps && now - lastDraw < MIN_REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        double elapsed = (now - start) / 1e9;
        double eta = elapsed / step * (steps - step);
        out.print("\r" + bar(step) + " - ETA: " + seconds(eta) + format(metrics));
        out.flush();
    }

    /** Writes the epoch's final line: total time, time per step and every metric. */
    void finish(Map<String, Double> metrics) {
        double elapsed = (System.nanoTime() - start) / 1e9;
        out.print("\r" + bar(steps) + " - " + seconds(elapsed) + " " + Math.round(elapsed * 1000 / Math.max(1, steps))
                + "ms/step" + format(metrics) + "\n");
        out.flush();
    }

    private String bar(int step) {
        String digits = String.valueOf(steps);
        int filled = (int) ((long) WIDTH * step / steps);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%" + digits.length() + "d/%s [", step, digits));
        for (int i = 0; i < WIDTH; i++) {
            sb.append(i < filled - 1 || (i == filled - 1 && step == steps) ? '=' : i == filled - 1 ? '>' : '.');
        }
        return sb.append(']').toString();
    }

    private static String seconds(double s) {
        return s >= 60 ? String.format("%d:%02d", (long) s / 60, (long) s % 60) : Math.round(s) + "s";
    }

    static String format(Map<String, Double> metrics) {
        StringBuilder sb = new StringBuilder();
        metrics.forEach((k, v) -> sb.append(String.format(" - %s: %.4f", k, v)));
        return sb.toString();
    }
}
