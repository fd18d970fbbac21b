package org.rnnlab.jupyter;

import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.rnnlab.plot.Html;
import org.rnnlab.plot.Tables;
import tech.tablesaw.api.Table;

/** How a cell's value of one of the library's types becomes a notebook output. */
final class Renderers {

    /** Rows of a Tablesaw table shown when a table is a cell's value (the rest are counted). */
    static final int TABLE_ROWS = 20;

    private Renderers() {}

    static void register(Renderer renderer) {
        renderer.createRegistration(Html.class)
                .supporting(MIMEType.TEXT_HTML, MIMEType.TEXT_PLAIN)
                .preferring(MIMEType.TEXT_HTML)
                .register((html, context) -> {
                    context.renderIfRequested(MIMEType.TEXT_HTML, html::html);
                    context.renderIfRequested(
                            MIMEType.TEXT_PLAIN,
                            () -> "(an HTML table or text: open the notebook in Jupyter to see it)");
                });
        renderer.createRegistration(Table.class)
                .supporting(MIMEType.TEXT_HTML, MIMEType.TEXT_PLAIN)
                .preferring(MIMEType.TEXT_HTML)
                .register((table, context) -> {
                    context.renderIfRequested(
                            MIMEType.TEXT_HTML,
                            () -> Tables.html(table, TABLE_ROWS).html());
                    context.renderIfRequested(MIMEType.TEXT_PLAIN, () -> table.print(TABLE_ROWS));
                });
    }
}
