package dev.ambient.bench.report;

/**
 * A markdown table built row by row: the first columns hold names and words and are left-aligned,
 * the ones after them hold numbers and are right-aligned, so that digits line up when rendered.
 */
final class MarkdownTable {

    private final StringBuilder out = new StringBuilder();
    private final int columns;

    /** A table with {@code headers}, of which the first {@code textColumns} are left-aligned. */
    MarkdownTable(int textColumns, String... headers) {
        columns = headers.length;
        row((Object[]) headers);
        out.append('|');
        for (int i = 0; i < columns; i++) {
            out.append(i < textColumns ? "---|" : "---:|");
        }
        out.append('\n');
    }

    /** Appends a row; a {@code |} inside a cell is escaped so that it cannot split the cell. */
    MarkdownTable row(Object... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException("BUG: " + cells.length + " cells for " + columns + " columns");
        }
        out.append('|');
        for (Object cell : cells) {
            out.append(' ').append(String.valueOf(cell).replace("|", "\\|")).append(" |");
        }
        out.append('\n');
        return this;
    }

    /** Appends the table and the blank line that ends it. */
    void appendTo(StringBuilder md) {
        md.append(out).append('\n');
    }
}
