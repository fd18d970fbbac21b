/**
 * The course library's side of the Jupyter kernel (JJava): how its results render in a notebook and
 * a display that redraws in place. Notebooks never import this package; the kernel loads
 * {@link org.rnnlab.jupyter.KernelExtension} by itself when the library is on its class path.
 */
package org.rnnlab.jupyter;
