package io.pgrelocate.core;

/**
 * How a continuous migration stops writes on the source at cutover. Whatever the mode, a cutover that does not
 * complete (a stop, a deadline, a failure, a killed process followed by {@code cleanup} or a resumed run) puts the
 * source back as it was.
 */
public enum FenceMode {
    /** No fence: the application's writers must be stopped by the caller before the cutover. */
    NONE,
    /**
     * Each migrated database defaults to read-only transactions ({@code default_transaction_read_only}) and its
     * sessions are ended. A session can still {@code SET default_transaction_read_only = off} and write; use
     * {@link #STRONG} where that matters.
     */
    READ_ONLY,
    /**
     * {@link #READ_ONLY}, and CONNECT on each migrated database is revoked from every role but the migrating one
     * (PUBLIC included), so no application session can come back; the privileges are restored exactly afterwards.
     */
    STRONG
}
