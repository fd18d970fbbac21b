package org.rnnlab.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;
import org.rnnlab.plot.Html;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class RenderersTest {

    private static Renderer kernelRenderer() {
        Renderer renderer = new Renderer();
        Renderers.register(renderer);
        return renderer;
    }

    @Test
    void htmlRendersAsHtmlNotAsText() {
        DisplayData data = kernelRenderer().render(new Html("<b>bold</b>"));
        assertEquals("<b>bold</b>", data.getData(MIMEType.TEXT_HTML));
    }

    @Test
    void tablesawTableRendersAsAnHtmlTableWithItsRowsCapped() {
        int rows = Renderers.TABLE_ROWS + 5;
        Table t = Table.create(
                "errors",
                StringColumn.create(
                        "model", IntStream.range(0, rows).mapToObj(i -> "m" + i).toArray(String[]::new)),
                DoubleColumn.create(
                        "rmse",
                        IntStream.range(0, rows).mapToDouble(i -> i / 3.0).toArray()));
        DisplayData data = kernelRenderer().render(t);
        String html = (String) data.getData(MIMEType.TEXT_HTML);
        assertTrue(html.startsWith("<table"), html);
        assertTrue(
                html.contains("<th style=\"padding:2px 10px;border-bottom:1px solid #999;text-align:right\">rmse</th>"),
                html);
        assertTrue(html.contains(">0.3333<"), "doubles rounded to 4 decimals: " + html);
        assertEquals(Renderers.TABLE_ROWS + 1, html.split("<tr>", -1).length - 1, "header row + capped rows");
        assertTrue(html.contains("5 more rows (25 in all)"), html);
    }

    @Test
    void aLiveDisplayOutsideAKernelShowsNothingAndDoesNotFail() {
        LiveDisplay display = new LiveDisplay();
        assertFalse(display.inNotebook());
        display.show(new Html("<p>x</p>"));
        display.show(new Html("<p>y</p>"));
    }
}
