package org.rnnlab.plot;

/**
 * A piece of HTML that a notebook cell shows rendered: the Java kernel displays a cell's value
 * through its {@code toString()} as HTML, so this record returns the markup itself.
 */
public record Html(String html) {

    @Override
    public String toString() {
        return html;
    }
}
