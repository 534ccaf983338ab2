package io.pgrelocate.preflight.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.spi.DatabaseInfo;
import io.pgrelocate.core.spi.Names;
import io.pgrelocate.core.spi.PgErrors;
import io.pgrelocate.core.spi.Sql;
import io.pgrelocate.preflight.FindingCode;

import java.sql.SQLException;
import java.util.List;

/** Server-wide checks: versions, network settings, the source's replication settings and role. */
public final class ServerChecks {
    static final int OLDEST_SUPPORTED = 14;
    /** Below this, a short network stall or a long apply drops the stream. */
    static final long MIN_SENDER_TIMEOUT_MS = 10_000;

    private ServerChecks() {
    }

    public static void versions(ServerSession source, ServerSession target, Findings findings) {
        for (ServerSession s : List.of(source, target)) {
            if (s.info().major() < OLDEST_SUPPORTED) {
                findings.error(FindingCode.UNSUPPORTED_VERSION, s.role(), "the " + s.role() + " runs PostgreSQL "
                        + s.info().major() + "; pgrelocate supports " + OLDEST_SUPPORTED + " and newer",
                        "upgrade the " + s.role() + " to PostgreSQL " + OLDEST_SUPPORTED + " or newer");
            }
        }
        if (source.info().major() > target.info().major()) {
            findings.error(FindingCode.SOURCE_NEWER_THAN_TARGET, "target", "the source runs PostgreSQL "
                    + source.info().major() + ", newer than the target's " + target.info().major()
                    + ": its schema and data may use what the target does not know", "migrate to a target of "
                    + "PostgreSQL " + source.info().major() + " or newer");
        }
    }

    /** listen_addresses and pg_hba.conf, as far as the role may see them. */
    public static void network(ServerSession source, Findings findings) {
        String listen = source.setting("listen_addresses");
        if (listen != null && isLocalOnly(listen)) {
            findings.info(FindingCode.LISTEN_ADDRESSES_LOCAL, "source listen_addresses", "the source listens only on "
                    + listen + ": it accepts connections from its own host only", "ALTER SYSTEM SET listen_addresses = '*';"
                    + "   -- only to migrate from another host\n-- then restart the source, and add a pg_hba.conf "
                    + "line for the migrating host");
        }
        if (!source.info().superuser()) {
            return; // pg_hba_file_rules is readable by superusers only
        }
        try {
            List<String> errors = Queries.column(source.connection(), "SELECT format('line %s: %s', line_number, error) "
                    + "FROM pg_hba_file_rules WHERE error IS NOT NULL ORDER BY line_number");
            if (!errors.isEmpty()) {
                findings.warning(FindingCode.HBA_FILE_ERRORS, "source pg_hba.conf", "pg_hba.conf has lines the "
                        + "server cannot load (" + Findings.listed(errors, 5) + "); the server keeps using the "
                        + "previous rules", "fix those lines, then SELECT pg_reload_conf();");
            }
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.INTERNAL, "cannot read pg_hba_file_rules on the source", e);
        }
    }

    static boolean isLocalOnly(String listen) {
        if (listen.isBlank()) {
            return true;
        }
        for (String a : listen.split(",")) {
            String h = a.trim();
            if (!h.isEmpty() && !ServerSession.isLoopback(h)) {
                return false;
            }
        }
        return true;
    }

    /** wal_level, free slots and senders for one slot and one stream per database, and what risks a stream. */
    public static void replicationSettings(ServerSession source, String migrationId, List<DatabaseInfo> databases,
                                           Findings findings) {
        String walLevel = source.info().walLevel();
        if (!"logical".equals(walLevel)) {
            findings.error(FindingCode.WAL_LEVEL_NOT_LOGICAL, "source wal_level", "wal_level is " + walLevel
                    + "; continuous mode needs logical", "ALTER SYSTEM SET wal_level = logical;\n-- then restart "
                    + "the source server (wal_level takes effect only at server start)");
        }
        try {
            List<String> slots = Queries.column(source.connection(), "SELECT slot_name FROM pg_replication_slots");
            long reusable = databases.stream().map(d -> Names.slot(migrationId, d.name())).filter(slots::contains)
                    .count();
            long needed = databases.size() - reusable;
            long maxSlots = number(source.setting("max_replication_slots"));
            if (maxSlots >= 0 && slots.size() + needed > maxSlots) {
                findings.error(FindingCode.REPLICATION_SLOTS_TOO_FEW, "source max_replication_slots",
                        "max_replication_slots is " + maxSlots + " with " + slots.size() + " in use, but migrating "
                                + databases.size() + " database(s) needs " + needed + " more",
                        "ALTER SYSTEM SET max_replication_slots = " + (slots.size() + needed + 2) + ";\n-- then "
                                + "restart the source server; or drop slots no longer used: "
                                + "SELECT pg_drop_replication_slot('<name>');");
            }
            long senders = Long.parseLong(Queries.value(source.connection(),
                    "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'walsender'"));
            long maxSenders = number(source.setting("max_wal_senders"));
            if (maxSenders >= 0 && senders + databases.size() > maxSenders) {
                findings.error(FindingCode.WAL_SENDERS_TOO_FEW, "source max_wal_senders", "max_wal_senders is "
                        + maxSenders + " with " + senders + " in use, but migrating " + databases.size()
                        + " database(s) streams " + databases.size() + " at once", "ALTER SYSTEM SET max_wal_senders = "
                        + (senders + databases.size() + 2) + ";\n-- then restart the source server");
            }
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.INTERNAL, "cannot read the source's replication slots and senders", e);
        }
        streamRisks(source, findings);
    }

    private static void streamRisks(ServerSession source, Findings findings) {
        long keepMb = number(source.setting("max_slot_wal_keep_size"));
        if (source.setting("max_slot_wal_keep_size") != null && keepMb >= 0) {
            findings.warning(FindingCode.SLOT_WAL_KEEP_SIZE_LIMITED, "source max_slot_wal_keep_size",
                    "max_slot_wal_keep_size is " + keepMb + " MB: a slot that falls further behind (during a long "
                            + "initial copy, or while the migration is paused) is invalidated, and the migration must "
                            + "start over", "ALTER SYSTEM SET max_slot_wal_keep_size = -1;\nSELECT pg_reload_conf();\n"
                            + "-- or a limit larger than the WAL written during the copy, with disk space to match");
        }
        long timeoutMs = number(source.setting("wal_sender_timeout"));
        if (timeoutMs > 0 && timeoutMs < MIN_SENDER_TIMEOUT_MS) {
            findings.warning(FindingCode.WAL_SENDER_TIMEOUT_SHORT, "source wal_sender_timeout", "wal_sender_timeout "
                    + "is " + timeoutMs + " ms: a network stall or a long target transaction of that length drops "
                    + "the stream", "ALTER SYSTEM SET wal_sender_timeout = '60s';\nSELECT pg_reload_conf();");
        }
    }

    /**
     * The REPLICATION attribute continuous mode needs on the source.
     *
     * @return whether the role has it (superusers have it implicitly)
     */
    public static boolean replicationRole(ServerSession source, Findings findings) {
        try {
            boolean ok = Queries.bool(source.connection(),
                    "SELECT rolsuper OR rolreplication FROM pg_roles WHERE rolname = current_user");
            if (!ok) {
                findings.error(FindingCode.ROLE_NOT_REPLICATION, source.user(), "role " + source.user() + " has "
                        + "neither SUPERUSER nor REPLICATION, so it cannot create slots or stream changes",
                        "ALTER ROLE " + Sql.ident(source.user()) + " REPLICATION;");
            }
            return ok;
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.INTERNAL, "cannot read the source role's attributes", e);
        }
    }

    /**
     * Whether schema changes on the source will be captured: that needs an event trigger, which only a
     * superuser may create. Without it, a schema change mid-stream stops the migration (never a silent drift).
     */
    public static void ddlCapture(ServerSession source, boolean wanted, Findings findings) {
        String consequence = "a schema change on the source during the migration (CREATE, ALTER or DROP of a "
                + "table, column, index...) is not replicated: it stops the migration, which then ends FAILED";
        if (!wanted) {
            findings.info(FindingCode.SCHEMA_CHANGES_NOT_CAPTURED, source.user(), "schema-change capture is turned "
                    + "off: " + consequence, "freeze the schema until cutover, or leave captureDdl on");
            return;
        }
        try {
            if (!Queries.bool(source.connection(), "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
                findings.warning(FindingCode.SCHEMA_CHANGES_NOT_CAPTURED, source.user(), "role " + source.user()
                        + " is not a superuser on the source, so it cannot create the event trigger that captures "
                        + "schema changes: " + consequence, "-- freeze the schema until cutover, or migrate as a "
                        + "superuser of the source:\nALTER ROLE " + Sql.ident(source.user()) + " SUPERUSER;");
            }
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.INTERNAL, "cannot read the source role's attributes", e);
        }
    }

    private static long number(String value) {
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
