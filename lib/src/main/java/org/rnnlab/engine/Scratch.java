package org.rnnlab.engine;

import java.util.HashMap;
import java.util.Map;

/**
 * A layer's large float arrays (input rows, gates, states, their gradients), kept from one batch to the
 * next: arrays of several megabytes are "humongous" to the JVM's default collector, slow to allocate and
 * to clear, and a layer needs the same sizes every batch. An array comes back with its old values, so a
 * caller asks for one only where it writes every value.
 */
final class Scratch {

    private final Map<String, float[]> arrays = new HashMap<>();

    /** The array named {@code name}, of exactly {@code length} values: last batch's if it had that length. */
    float[] of(String name, int length) {
        float[] a = arrays.get(name);
        if (a == null || a.length != length) {
            a = new float[length];
            arrays.put(name, a);
        }
        return a;
    }
}
