package org.rnnlab.jupyter;

/**
 * One output of the running notebook cell that can be drawn again in place (Jupyter's display id):
 * the first {@link #show} adds it, each later one replaces it. Outside a JJava kernel, in a plain
 * JVM or another Java kernel, it shows nothing and costs nothing.
 */
public final class LiveDisplay {

    private final boolean inKernel;
    private String id;

    /** A display not yet shown. */
    public LiveDisplay() {
        this.inKernel = kernelRunning();
    }

    /** Whether this display reaches a notebook (the code runs in a JJava kernel). */
    public boolean inNotebook() {
        return inKernel;
    }

    /** Shows {@code value} (an image, HTML, text: whatever the kernel can render), replacing what this display showed before. */
    public void show(Object value) {
        if (!inKernel) {
            return;
        }
        if (id == null) {
            id = JJava.display(value);
        } else {
            JJava.update(id, value);
        }
    }

    private static boolean kernelRunning() {
        try {
            return JJava.running();
        } catch (LinkageError e) {
            return false; // no JJava here (NoClassDefFoundError), or only part of it
        }
    }

    /**
     * The only place that touches the kernel's classes, reached only when they are there; it uses the
     * notebook API that JJava gives every cell ({@code display}, {@code updateDisplay}), the same in its releases.
     */
    private static final class JJava {

        static boolean running() {
            return org.dflib.jjava.jupyter.kernel.BaseKernel.notebookKernel() != null;
        }

        static String display(Object value) {
            return org.dflib.jjava.jupyter.kernel.BaseNotebookStatics.display(value);
        }

        static void update(String id, Object value) {
            org.dflib.jjava.jupyter.kernel.BaseNotebookStatics.updateDisplay(id, value);
        }
    }
}
