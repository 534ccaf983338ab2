package io.pgrelocate.core.internal.wire;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.PgRelocateException;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.PGStream;
import org.postgresql.core.QueryExecutor;
import org.postgresql.core.QueryExecutorBase;

import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The one place pgrelocate reaches into pgjdbc: the protocol stream of a connection pgjdbc opened and
 * authenticated (TLS and authentication stay pgjdbc's), so the replication stream can be read message by message
 * and a value of any size streamed to disk as it arrives, where pgjdbc's replication API reads each message whole
 * into one array, and a COPY's rows relayed from the source's socket without an array per row (the dump). pgjdbc keeps the stream in the protected field {@code QueryExecutorBase.pgStream} (checked on
 * 42.7.14); its jar is an automatic module, so its packages are open to reflection. A pgjdbc that renamed the
 * field fails here, loudly and at the stream's start, never halfway through a message (PgWireTest guards it).
 * Stateless and thread-safe.
 */
public final class PgWire {
    private static final String FIELD = "pgStream";

    private PgWire() {
    }

    /** The protocol stream under {@code connection}, which must be pgjdbc's. */
    public static PGStream stream(Connection connection) throws SQLException {
        QueryExecutor executor = connection.unwrap(BaseConnection.class).getQueryExecutor();
        if (!(executor instanceof QueryExecutorBase)) {
            throw unsupported("its query executor is a " + executor.getClass().getName(), null);
        }
        try {
            return (PGStream) field().get(executor);
        } catch (IllegalAccessException | RuntimeException e) {
            throw unsupported("its field QueryExecutorBase." + FIELD + " cannot be read", e);
        }
    }

    /** pgjdbc's field holding the stream, made readable. */
    static Field field() {
        try {
            Field f = QueryExecutorBase.class.getDeclaredField(FIELD);
            if (f.getType() != PGStream.class) {
                throw unsupported("its field QueryExecutorBase." + FIELD + " is a " + f.getType().getName(), null);
            }
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException | RuntimeException e) {
            if (e instanceof PgRelocateException p) {
                throw p;
            }
            throw unsupported("it has no field QueryExecutorBase." + FIELD, e);
        }
    }

    private static PgRelocateException unsupported(String why, Throwable cause) {
        return new PgRelocateException(ErrorCode.INTERNAL, "this pgjdbc version (" + pgjdbcVersion()
                + ") is not one pgrelocate can stream replication or COPY with: " + why + "; use the pgjdbc version "
                + "pgrelocate was built with (42.7.14)", cause);
    }

    private static String pgjdbcVersion() {
        String v = org.postgresql.Driver.class.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }
}
