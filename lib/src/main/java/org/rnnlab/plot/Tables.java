package org.rnnlab.plot;

import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** Renders Tablesaw tables as HTML tables for a notebook, numbers right-aligned and rounded for reading. */
public final class Tables {

    private static final String STYLE = "border-collapse:collapse;font-family:monospace;font-size:90%";

    private Tables() {}

    /** The table as HTML, all rows, doubles with 4 decimals. */
    public static Html html(Table table) {
        return html(table, Integer.MAX_VALUE);
    }

    /** The table as HTML, at most {@code maxRows} rows (with a note saying how many were left out). */
    public static Html html(Table table, int maxRows) {
        StringBuilder sb = new StringBuilder("<table style=\"" + STYLE + "\">");
        if (table.name() != null && !table.name().isBlank()) {
            sb.append("<caption style=\"text-align:left;font-weight:bold\">")
                    .append(escape(table.name()))
                    .append("</caption>");
        }
        sb.append("<thead><tr>");
        for (Column<?> c : table.columns()) {
            sb.append("<th style=\"padding:2px 10px;border-bottom:1px solid #999;text-align:right\">")
                    .append(escape(c.name()))
                    .append("</th>");
        }
        sb.append("</tr></thead><tbody>");
        int rows = Math.min(maxRows, table.rowCount());
        for (int r = 0; r < rows; r++) {
            sb.append("<tr>");
            for (Column<?> c : table.columns()) {
                Object v = c.get(r);
                boolean number = v instanceof Number;
                String text = v == null
                        ? ""
                        : v instanceof Double || v instanceof Float
                                ? String.format("%.4f", ((Number) v).doubleValue())
                                : String.valueOf(v);
                sb.append("<td style=\"padding:2px 10px;text-align:")
                        .append(number ? "right" : "left")
                        .append("\">")
                        .append(escape(text))
                        .append("</td>");
            }
            sb.append("</tr>");
        }
        sb.append("</tbody></table>");
        if (rows < table.rowCount()) {
            sb.append(String.format(
                    "<p style=\"font-size:85%%\">… %,d more rows (%,d in all)</p>",
                    table.rowCount() - rows, table.rowCount()));
        }
        return new Html(sb.toString());
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
