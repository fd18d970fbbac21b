package org.rnnlab.jupyter;

import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

/**
 * Installed by the JJava kernel when the library joins its class path (listed in
 * {@code META-INF/services}): registers how the library's values render in a notebook.
 */
public final class KernelExtension implements Extension {

    @Override
    public void install(BaseKernel kernel) {
        Renderers.register(kernel.getRenderer());
    }
}
