/**
 * The speed engine, internal to the course library: the faster layer implementations (single-precision
 * time loops over Java arrays, their step products in SIMD registers or OpenBLAS) and {@link org.rnnlab.engine.FastNetwork},
 * which runs a network written with DL4J's own layers on them. Notebooks never import this package;
 * what learners use is in {@code org.rnnlab.layers}.
 */
package org.rnnlab.engine;
