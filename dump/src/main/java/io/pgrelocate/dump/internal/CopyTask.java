package io.pgrelocate.dump.internal;

import io.pgrelocate.dump.internal.schema.TableData;

/**
 * One unit of copy work: a whole table, or one slice of a big table's blocks (so several workers can copy
 * it at once). {@code fromBlock}/{@code toBlock} bound the slice by {@code ctid}; -1 means unbounded.
 */
record CopyTask(TableData table, long fromBlock, long toBlock, int slice, int slices) {
    static CopyTask whole(TableData table) {
        return new CopyTask(table, -1, -1, 1, 1);
    }

    boolean isWhole() {
        return slices == 1;
    }

    /** Estimated bytes of this task, to order the biggest first. */
    long weight() {
        return Math.max(0, table.estimatedBytes()) / slices;
    }

    String describe() {
        return isWhole() ? table.display() : table.display() + " (slice " + slice + "/" + slices + ")";
    }

    /** {@code " (a, b)"}, or nothing for a table without columns (which may still have rows). */
    private String columnList() {
        return table.columns().isEmpty() ? "" : " (" + io.pgrelocate.core.spi.Sql.identList(table.columns()) + ")";
    }

    /** The source-side COPY statement. */
    String copyOutSql() {
        String cols = table.columns().isEmpty() ? "" : io.pgrelocate.core.spi.Sql.identList(table.columns());
        String format = table.binaryCopy() ? " (FORMAT binary)" : "";
        if (isWhole()) {
            return "COPY " + table.qualified() + columnList() + " TO STDOUT" + format;
        }
        StringBuilder where = new StringBuilder();
        if (fromBlock >= 0) {
            where.append("ctid >= '(").append(fromBlock).append(",0)'::tid");
        }
        if (toBlock >= 0) {
            where.append(where.length() > 0 ? " AND " : "").append("ctid < '(").append(toBlock).append(",0)'::tid");
        }
        return "COPY (SELECT " + cols + " FROM ONLY " + table.qualified() + " WHERE " + where + ") TO STDOUT" + format;
    }

    /** The target-side COPY statement; {@code freeze} when the table was truncated in the same transaction. */
    String copyInSql(boolean freeze) {
        StringBuilder opts = new StringBuilder();
        if (table.binaryCopy()) {
            opts.append("FORMAT binary");
        }
        if (freeze) {
            opts.append(opts.length() > 0 ? ", " : "").append("FREEZE");
        }
        return "COPY " + table.qualified() + columnList() + " FROM STDIN" + (opts.length() > 0 ? " (" + opts + ")" : "");
    }
}
