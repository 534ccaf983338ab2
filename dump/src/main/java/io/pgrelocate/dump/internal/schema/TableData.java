package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.Sql;

import java.util.List;

/**
 * A table whose rows are copied: a plain table or a leaf partition (never a partitioned parent, a view or
 * a foreign table).
 *
 * @param columns        the columns to copy, in order: every column except generated ones and dropped ones
 * @param estimatedRows  from the source's statistics, -1 when unknown
 * @param estimatedBytes the table's size on the source (heap and TOAST), -1 when unknown
 * @param binaryCopy     whether every column's type has binary send/receive functions; otherwise text COPY
 * @param analyzable     whether ANALYZE may run on it: not when a foreign table inherits from it, as ANALYZE of an
 *                       inheritance parent samples its children too, which would reach the foreign server
 */
public record TableData(String schema, String name, List<String> columns, long estimatedRows, long estimatedBytes,
                        boolean binaryCopy, boolean analyzable) {
    public TableData {
        columns = List.copyOf(columns);
    }

    public TableData(String schema, String name, List<String> columns, long estimatedRows, long estimatedBytes,
                     boolean binaryCopy) {
        this(schema, name, columns, estimatedRows, estimatedBytes, binaryCopy, true);
    }

    /** {@code "schema"."name"}. */
    public String qualified() {
        return Sql.qualified(schema, name);
    }

    /** The same table with its size measured rather than estimated. */
    public TableData withEstimatedBytes(long bytes) {
        return new TableData(schema, name, columns, estimatedRows, bytes, binaryCopy, analyzable);
    }

    /** {@code schema.name} for messages. */
    public String display() {
        return schema + "." + name;
    }
}
