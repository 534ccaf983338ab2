package io.pgrelocate.core;

import java.sql.SQLException;
import java.util.Objects;

/**
 * The one unchecked exception pgrelocate throws. Its message says what failed, on which object and
 * what to do; it never contains a password. A wrapped {@link SQLException} keeps its SQLState.
 */
public class PgRelocateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String sqlState;

    public PgRelocateException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public PgRelocateException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.sqlState = cause instanceof SQLException sql ? sql.getSQLState() : null;
    }

    public ErrorCode code() {
        return code;
    }

    /** The SQLState of the wrapped {@link SQLException}, or {@code null}. */
    public String sqlState() {
        return sqlState;
    }
}
