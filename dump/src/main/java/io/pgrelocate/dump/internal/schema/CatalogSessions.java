package io.pgrelocate.dump.internal.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ThreadFactory;

/**
 * Sessions a schema extraction may open next to its own to read the catalogs in parallel: each one a transaction
 * at the same snapshot ({@code SET TRANSACTION SNAPSHOT}), REPEATABLE READ and READ ONLY, so every session reads
 * the same catalog. The extraction closes each one it opened (ending its transaction) before it returns.
 *
 * @param count   how many sessions it may open besides its own; 0 reads everything on its own session
 * @param opener  opens one session
 * @param threads names the threads the sessions are read on
 */
public record CatalogSessions(int count, Opener opener, ThreadFactory threads) {
    /** Opens one session at the extraction's snapshot. */
    @FunctionalInterface
    public interface Opener {
        Connection open() throws SQLException;
    }

    /** No session besides the extraction's own. */
    public static final CatalogSessions NONE = new CatalogSessions(0, () -> {
        throw new SQLException("no extra catalog session");
    }, Thread::new);

    public CatalogSessions {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, not " + count);
        }
    }
}
