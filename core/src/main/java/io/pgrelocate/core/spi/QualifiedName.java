package io.pgrelocate.core.spi;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A schema-qualified name (table, sequence, type...) as two plain names, read from the catalogs as two columns.
 * It renders itself only quoted ({@link #sql()}, and {@link #toString()} alike), so it can be concatenated into
 * SQL safely, and a plain {@code String} concatenated into SQL stands out in review. Immutable and thread-safe.
 *
 * <pre>{@code
 * QualifiedName t = QualifiedName.read(rs, 1);   // SELECT n.nspname, c.relname ...
 * st.execute("LOCK TABLE ONLY " + t.sql());
 * }</pre>
 */
public record QualifiedName(String schema, String name) {
    public QualifiedName {
        Sql.ident(schema);
        Sql.ident(name);
    }

    /** The name whose schema is column {@code schemaColumn} of {@code rs} and whose own name is the next column. */
    public static QualifiedName read(ResultSet rs, int schemaColumn) throws SQLException {
        return new QualifiedName(rs.getString(schemaColumn), rs.getString(schemaColumn + 1));
    }

    /** {@code "schema"."name"}. */
    public String sql() {
        return Sql.qualified(schema, name);
    }

    /**
     * For messages only, never SQL: {@code schema.name}, each part quoted only when it is not a plain lower-case
     * name (as {@code format('%I')} shows names, keywords aside).
     */
    public String display() {
        return displayPart(schema) + '.' + displayPart(name);
    }

    private static String displayPart(String part) {
        return part.matches("[a-z_][a-z0-9_$]*") ? part : Sql.ident(part);
    }

    /** The same as {@link #sql()}: even a name logged or concatenated by accident stays quoted. */
    @Override
    public String toString() {
        return sql();
    }
}
