package io.pgrelocate.dump.internal.schema;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Data that is neither table rows nor sequence values (large objects, for one), copied by the engine
 * after the tables with a source connection inside the migration's snapshot.
 */
public interface DataTask {
    /** Names the task in progress and error messages. */
    String name();

    /**
     * @param source a connection in a transaction that imported the migration's snapshot
     * @param target a connection to the target database, autocommit off; the engine commits
     */
    void run(Connection source, Connection target) throws SQLException;
}
