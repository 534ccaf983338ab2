package io.pgrelocate.core;

/**
 * What kind of failure a {@link PgRelocateException} reports. Stable: callers and the CLI switch on it.
 */
public enum ErrorCode {
    /** The configuration given to the builder or the CLI is not usable. */
    INVALID_CONFIG,
    /** A connection URI could not be parsed. */
    INVALID_URI,
    /** A server could not be reached (host, port, network, TLS). */
    CONNECTION_FAILED,
    /** The server refused the credentials. */
    AUTHENTICATION_FAILED,
    /** A database that was asked for does not exist. */
    DATABASE_NOT_FOUND,
    /** The role lacks a privilege the migration needs. */
    PERMISSION_DENIED,
    /** Preflight found at least one blocking problem. */
    PREFLIGHT_FAILED,
    /** An object of the source schema cannot be reproduced on the target. */
    SCHEMA_UNSUPPORTED,
    /** Replaying the schema on the target failed. */
    SCHEMA_REPLAY_FAILED,
    /** Copying table data failed. */
    COPY_FAILED,
    /** The replication stream failed or could not be set up. */
    REPLICATION_FAILED,
    /** The source schema changed while streaming, so changes cannot be applied safely. */
    SCHEMA_CHANGED,
    /** State left by another migration is in the way. */
    STATE_CONFLICT,
    /** No migration state was found where one was expected. */
    NO_MIGRATION,
    /** The migration was stopped before it completed (request or maximum duration). */
    STOPPED,
    /** A wait ran past its deadline. */
    TIMEOUT,
    /** {@code verify} found differences. */
    VERIFY_DIFFERENCES,
    /** A bug or an unexpected server answer. */
    INTERNAL
}
