package io.pgrelocate.dump.internal.schema;

/**
 * An extension's configuration table ({@code pg_extension_config_dump}): CREATE EXTENSION makes it on the target,
 * with the rows its script inserts; the rows the source's filter selects are added to those, as pg_dump adds them.
 *
 * @param table     the table and the columns copied (every column but generated and dropped ones); copied as text,
 *                  as pg_dump does, so that an extension type without binary send/receive functions copies too
 * @param extension the extension it belongs to, for messages
 * @param condition the extension's filter from {@code pg_extension.extcondition}, such as
 *                  {@code WHERE NOT standard_entry}, or empty for every row: SQL the extension's own script wrote,
 *                  appended after the table as pg_dump appends it
 */
public record ConfigTable(TableData table, String extension, String condition) {
    public ConfigTable {
        condition = condition == null ? "" : condition.strip();
    }

    /**
     * The source-side query of the rows to copy: {@code SELECT cols FROM ONLY t <condition>}. ONLY, unlike pg_dump:
     * a child table's rows are copied as the child's, not a second time into the parent.
     */
    public String selectSql() {
        return "SELECT " + io.pgrelocate.core.spi.Sql.identList(table.columns()) + " FROM ONLY " + table.qualified()
                + (condition.isEmpty() ? "" : " " + condition);
    }

    /** {@code schema.name (extension e)} for messages. */
    public String display() {
        return new io.pgrelocate.core.spi.QualifiedName(table.schema(), table.name()).display()
                + " (configuration table of extension " + extension + ")";
    }
}
