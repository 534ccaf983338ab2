package io.pgrelocate.dump.internal.schema;

/**
 * One statement to replay on the target, with the object it creates or changes named for messages
 * (such as {@code index public.orders_pkey}).
 *
 * @param table the quoted, qualified table ({@link TableData#qualified()}) a post-data statement builds on alone,
 *              so it may run as soon as that table's rows are copied; null when it waits for its wave
 */
public record DdlStatement(String object, String sql, String table) {
    public DdlStatement(String object, String sql) {
        this(object, sql, null);
    }
}
