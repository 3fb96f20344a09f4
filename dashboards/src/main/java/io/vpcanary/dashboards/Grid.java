package io.vpcanary.dashboards;

/**
 * Places widgets on a 24-column grid, left to right and top to bottom: a widget that does not fit in what is left of
 * its row starts the next one. CloudWatch and Grafana share the grid's width; both renderers place with it.
 */
final class Grid {

    /** Columns of CloudWatch's and Grafana's dashboard grids. */
    static final int COLUMNS = 24;

    /** Where a widget stands. */
    record Position(int x, int y, int width, int height) {
    }

    private int x;
    private int y;
    private int rowHeight;

    /** The next position for a widget of this size. */
    Position place(int width, int height) {
        if (width < 1 || width > COLUMNS || height < 1) {
            throw new IllegalArgumentException("a widget must be 1 to " + COLUMNS + " columns wide and at least 1 "
                    + "high, got " + width + "x" + height);
        }
        if (x + width > COLUMNS) {
            newRow();
        }
        Position p = new Position(x, y, width, height);
        x += width;
        rowHeight = Math.max(rowHeight, height);
        return p;
    }

    /** Ends the current row: the next widget starts at column 0 below the tallest widget of this row. */
    void newRow() {
        y += rowHeight;
        x = 0;
        rowHeight = 0;
    }
}
