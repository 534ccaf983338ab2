package io.pgrelocate.preflight;

/**
 * The stable codes of preflight findings ({@link io.pgrelocate.core.Finding#code()} is the enum's name).
 * Callers and scripts may switch on them; new codes are added, existing ones never renamed.
 */
public enum FindingCode {
    // connections
    /** A server cannot be reached at its host and port. */
    SERVER_UNREACHABLE("server"),
    /** A server refused the credentials. */
    AUTHENTICATION_FAILED("server"),
    /** A database named in a URI or selected does not exist. */
    DATABASE_NOT_FOUND("database"),
    /** The role may not connect to a database (CONNECT privilege). */
    CONNECT_DENIED("database"),
    /** No database is left to migrate after the selection. */
    NO_DATABASES("server"),
    /** TLS was required but the server does not offer it. */
    SSL_UNAVAILABLE("server"),
    /** What TLS the connection negotiated. */
    SSL_NEGOTIATED("server"),
    /** A connection to a remote server is not encrypted although TLS was not turned off explicitly. */
    SSL_NOT_USED("server"),
    /** Consecutive statements ran on different backends: a pooler in transaction mode sits in front. */
    POOLER_TRANSACTION_MODE("server"),
    /** A logical replication connection to the source is refused. */
    REPLICATION_CONNECTION_FAILED("database"),
    // versions
    /** A server runs a major version below 14. */
    UNSUPPORTED_VERSION("server"),
    /** The source's major version is newer than the target's. */
    SOURCE_NEWER_THAN_TARGET("server"),
    // source role
    /** The source role lacks the REPLICATION attribute (continuous mode). */
    ROLE_NOT_REPLICATION("role"),
    /** The source role may not publish some tables (not their owner) or create a publication. */
    ROLE_CANNOT_PUBLISH("role"),
    /** The source role cannot read some tables, sequences or schemas. */
    ROLE_MISSING_SELECT("role"),
    // source settings
    /** {@code wal_level} is not {@code logical}. */
    WAL_LEVEL_NOT_LOGICAL("setting"),
    /** Too few free replication slots for the databases to migrate. */
    REPLICATION_SLOTS_TOO_FEW("setting"),
    /** Too few free WAL senders for the databases to migrate. */
    WAL_SENDERS_TOO_FEW("setting"),
    /** {@code max_slot_wal_keep_size} may invalidate a slot that falls behind. */
    SLOT_WAL_KEEP_SIZE_LIMITED("setting"),
    /** {@code wal_sender_timeout} is short enough to drop a busy stream. */
    WAL_SENDER_TIMEOUT_SHORT("setting"),
    /** {@code listen_addresses} accepts only local connections. */
    LISTEN_ADDRESSES_LOCAL("setting"),
    /** pg_hba.conf has lines the server could not load. */
    HBA_FILE_ERRORS("setting"),
    // source contents
    /** Tables whose UPDATE and DELETE cannot be replicated (no primary key, no replica identity). */
    TABLE_WITHOUT_REPLICA_IDENTITY("table"),
    /** With consent, the migration will set REPLICA IDENTITY FULL on these tables. */
    REPLICA_IDENTITY_WILL_BE_SET("table"),
    /** An extension of the source cannot be installed on the target. */
    EXTENSION_UNAVAILABLE("extension"),
    /** An extension's version differs between source and target. */
    EXTENSION_VERSION_DIFFERS("extension"),
    /** Only a superuser may create the extension on the target, and the target role is not one. */
    EXTENSION_NEEDS_SUPERUSER("extension"),
    /** The source holds large objects. */
    LARGE_OBJECTS("database"),
    /** The source holds unlogged tables, whose changes are not replicated. */
    UNLOGGED_TABLES("table"),
    /** Sequences are not replicated; they are set at cutover. */
    SEQUENCES_SYNCED_AT_CUTOVER("database"),
    /**
     * Schema changes on the source will not be captured and replayed (the source role is not a superuser, so
     * it cannot create the event trigger, or capture is turned off): a schema change stops the migration.
     */
    SCHEMA_CHANGES_NOT_CAPTURED("role"),
    /** Long-running transactions on the source would hold up slot creation. */
    LONG_RUNNING_TRANSACTIONS("server"),
    /** Prepared transactions on the source would hold up slot creation. */
    PREPARED_TRANSACTIONS("server"),
    /** A server cannot take the connections the run will open (max_connections, reserved, in use). */
    CONNECTIONS_TOO_FEW("setting"),
    /**
     * A source database has more tables than the copy may lock at once without crowding the source's lock table:
     * the others are locked only while copied and checked for a rewrite afterwards.
     */
    SOURCE_TABLES_NOT_ALL_LOCKED("setting"),
    /** Replication slots or publications with pgrelocate's names exist already. */
    LEFTOVER_SLOTS_OR_PUBLICATIONS("server"),
    // target
    /** A target database already exists and holds tables. */
    TARGET_DATABASE_NOT_EMPTY("database"),
    /** The target role may not create the databases that are missing there. */
    TARGET_CANNOT_CREATE_DATABASE("role"),
    /** The target role may not create schemas in a target database. */
    TARGET_CANNOT_CREATE_SCHEMA("role"),
    /** The state schema on the target belongs to another role, which the target role may not use. */
    STATE_SCHEMA_NOT_USABLE("role"),
    /** Apply cannot set {@code session_replication_role}; the fallback is described. */
    TRIGGERS_NOT_SUPPRESSIBLE("role"),
    /** Source and target databases differ in encoding. */
    ENCODING_DIFFERS("database"),
    /** Source and target databases differ in collation or ctype, or the target lacks the source's locale. */
    LOCALE_DIFFERS("database"),
    // roles (created before the schema, as the configuration's RoleSelection asks)
    /** Source roles the migration will create on the target. */
    ROLES_TO_CREATE("role"),
    /** Source roles the target has already: left as they are (attributes, password, memberships). */
    ROLES_ALREADY_ON_TARGET("role"),
    /** Login roles that will be created without a password: the source role may not read pg_authid. */
    ROLES_NEED_PASSWORD("role"),
    /** Roles the target role may not create (no CREATEROLE), or attributes it may not grant. */
    ROLES_NOT_CREATABLE("role");

    private final String subjectKind;

    FindingCode(String subjectKind) {
        this.subjectKind = subjectKind;
    }

    /** What kind of object a finding with this code is about: server, database, table, setting or role. */
    public String subjectKind() {
        return subjectKind;
    }
}
