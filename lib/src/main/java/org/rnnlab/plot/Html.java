package org.rnnlab.plot;

/**
 * A piece of HTML that a notebook cell shows rendered when it is the cell's value (the library's
 * kernel extension hands it to Jupyter as {@code text/html}); {@code toString()} is the markup itself.
 */
public record Html(String html) {

    @Override
    public String toString() {
        return html;
    }
}
