package io.pgrelocate.replication.internal;

import io.pgrelocate.core.spi.QualifiedName;
import io.pgrelocate.core.spi.Sql;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Errors raised while applying, told without the data: a server error's DETAIL ({@code Key (id)=(5) already
 * exists}), a failed batch's statement text with its parameters, and a data exception's primary message
 * ({@code invalid input syntax for type integer: "x"}) all carry row values, which must not reach the log or
 * the state table. The error is retold from the parts pgjdbc parses out of the server's message (primary
 * message, table, constraint, column, SQLSTATE) with the table's key columns; the original, values included,
 * goes to DEBUG only. The retold exception keeps the SQLSTATE (so transient errors stay transient) and has no
 * cause, so no stack trace can print the values either. Stateless and thread-safe.
 */
final class ApplyErrors {
    private static final Logger log = LoggerFactory.getLogger(ApplyErrors.class);

    private ApplyErrors() {
    }

    /** {@code e} retold without values, naming the table and key columns found among {@code relations}. */
    static SQLException withoutValues(SQLException e, Collection<TargetRelation> relations) {
        if (e instanceof Sanitized) {
            return e;
        }
        log.debug("apply error as the server reported it (may hold row values)", e);
        ServerErrorMessage server = serverMessage(e);
        if (server == null) {
            // a client-side failure (I/O, protocol): its text holds no row, but a batch's may
            String text = e instanceof java.sql.BatchUpdateException ? "a batch of changes failed"
                    : io.pgrelocate.core.spi.PgErrors.firstLine(e.getMessage());
            return new Sanitized(text, e.getSQLState());
        }
        StringBuilder sb = new StringBuilder();
        String state = server.getSQLState() == null ? "" : server.getSQLState();
        // a data exception's primary message quotes the value that failed
        sb.append(state.startsWith("22") ? "a value does not fit its column" : server.getMessage());
        if (server.getTable() != null) {
            sb.append(" (table ").append(display(server.getSchema(), server.getTable()));
            String keys = keyColumns(server, relations);
            if (keys != null) {
                sb.append(", key ").append(keys);
            }
            if (server.getColumn() != null) {
                sb.append(", column ").append(Sql.ident(server.getColumn()));
            }
            if (server.getConstraint() != null) {
                sb.append(", constraint ").append(Sql.ident(server.getConstraint()));
            }
            sb.append(')');
        }
        return new Sanitized(sb.toString(), e.getSQLState());
    }

    /** {@code e} (already without values) with where in the stream it happened. */
    static SQLException at(SQLException e, String where) {
        return new Sanitized(e.getMessage() + ", " + where, e.getSQLState());
    }

    private static ServerErrorMessage serverMessage(SQLException e) {
        for (SQLException cur = e; cur != null; cur = cur.getNextException()) {
            if (cur instanceof PSQLException p && p.getServerErrorMessage() != null) {
                return p.getServerErrorMessage();
            }
            if (cur.getCause() instanceof PSQLException p && p.getServerErrorMessage() != null) {
                return p.getServerErrorMessage();
            }
        }
        return null;
    }

    private static String display(String schema, String table) {
        return schema == null ? Sql.ident(table) : new QualifiedName(schema, table).sql();
    }

    private static String keyColumns(ServerErrorMessage server, Collection<TargetRelation> relations) {
        for (TargetRelation r : relations) {
            if (r.source().name().equals(server.getTable())
                    && (server.getSchema() == null || r.source().schema().equals(server.getSchema()))) {
                String keys = r.source().columns().stream().filter(PgOutputMessage.Column::key)
                        .map(c -> Sql.ident(c.name())).collect(Collectors.joining(", "));
                return keys.isEmpty() ? "(replica identity full)" : "(" + keys + ")";
            }
        }
        return null;
    }

    /** An apply error retold without row values; never wrapped again. */
    static final class Sanitized extends SQLException {
        Sanitized(String message, String sqlState) {
            super(message, sqlState);
        }
    }
}
