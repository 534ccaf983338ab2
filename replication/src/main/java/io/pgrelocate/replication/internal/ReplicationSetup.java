package io.pgrelocate.replication.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.Lsn;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.core.spi.MigrationContext;
import io.pgrelocate.core.spi.PgErrors;
import io.pgrelocate.core.spi.QualifiedName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Prepares one source database for streaming: replica identity where consented, the publication, and
 * the slot with its exported snapshot; or finds what an interrupted run left to resume from.
 */
final class ReplicationSetup {
    private static final Logger log = LoggerFactory.getLogger(ReplicationSetup.class);

    private final MigrationContext context;
    private final String database;
    private final String slot;
    private final String publication;
    private final DdlCapture capture;
    private final java.util.function.Consumer<String> warn;

    /** {@code warn} hears of each extension configuration table whose changes will not stream. */
    ReplicationSetup(MigrationContext context, String database, String slot, String publication,
                     java.util.function.Consumer<String> warn) {
        this.context = context;
        this.warn = warn;
        this.database = database;
        this.slot = slot;
        this.publication = publication;
        this.capture = new DdlCapture(context.config().stateSchema(), context.migrationId(), publication,
                context.config().setReplicaIdentityFull());
    }

    /** Whether schema changes on the source are captured into the stream (the event trigger is in place). */
    boolean ddlCaptured() {
        try (Connection src = context.source().open(database, "setup")) {
            return capture.installed(src);
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.REPLICATION_FAILED, "cannot look for the schema-change capture in "
                    + database, e);
        }
    }

    /**
     * The LSN applied before an interruption, when the slot still exists and the target's copy finished
     * (its progress row exists); empty when the database must be copied (again).
     */
    Optional<Lsn> resumePoint(ProgressStore progress) {
        try (Connection src = context.source().open(database, "setup")) {
            if (SlotManager.confirmedFlush(src, slot).isEmpty()) {
                return Optional.empty();
            }
            if (InvalidatedSlot.isInvalidated(src, slot)) {
                if (!context.config().replication().recopyInvalidated()) {
                    throw InvalidatedSlot.failure(src, database, slot);
                }
                log.warn("database {}: the source invalidated slot {} (max_slot_wal_keep_size exceeded); dropping it "
                        + "and copying the database again, as allowed", database, slot);
                SlotManager.drop(src, slot, null);
                return Optional.empty();
            }
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.REPLICATION_FAILED, "cannot look for slot " + slot, e);
        }
        try (Connection tgt = context.target().open(database, "setup")) {
            return progress.read(tgt, slot);
        } catch (PgRelocateException e) {
            if (e.code() == ErrorCode.DATABASE_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.REPLICATION_FAILED, "cannot read the progress of " + database, e);
        }
    }

    /** The failure to report when the stream broke because the source invalidated the slot, if it did. */
    Optional<PgRelocateException> invalidation() {
        try (Connection src = context.source().open(database, "setup")) {
            return InvalidatedSlot.isInvalidated(src, slot) ? Optional.of(InvalidatedSlot.failure(src, database, slot))
                    : Optional.empty();
        } catch (SQLException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Drops what an earlier attempt left, sets replica identity where allowed, creates the publication, then installs
     * the schema-change capture. The capture comes last because its event trigger would make building a publication
     * of many tables quadratic ({@link PublicationBatches}); the tables created meanwhile, which no trigger saw, are
     * added once it is in place (from then on it adds them itself), and all of it comes before the slot.
     */
    void publish() {
        try (Connection src = context.source().open(database, "setup")) {
            SlotManager.drop(src, slot, publication);
            boolean superuser = DdlCapture.possible(src);
            if (superuser) {
                capture.remove(src);
            }
            Set<String> excluded = Set.of(context.config().stateSchema());
            List<QualifiedName> tables = new ArrayList<>(SlotManager.publishableTables(src, excluded));
            // the extensions' configuration tables: their rows are copied, so their changes stream too
            tables.addAll(ConfigTablePublication.tables(src, excluded, context.config().setReplicaIdentityFull(),
                    database, warn));
            identify(src, tables);
            SlotManager.createPublication(src, publication, tables);
            if (installCapture(src, superuser)) {
                Set<QualifiedName> published = new HashSet<>(tables);
                List<QualifiedName> later = new ArrayList<>(SlotManager.publishableTables(src, excluded).stream()
                        .filter(t -> !published.contains(t)).toList());
                identify(src, later);
                later.add(capture.qualifiedTable());
                PublicationBatches.add(src, publication, later);
            }
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.REPLICATION_FAILED, "cannot create publication " + publication + " in "
                    + database, e);
        }
    }

    /** Sets REPLICA IDENTITY FULL on those of {@code tables} without a key, if allowed; otherwise fails naming them. */
    private void identify(Connection src, List<QualifiedName> tables) throws SQLException {
        List<QualifiedName> keyless = SlotManager.withoutReplicaIdentity(src, tables);
        if (keyless.isEmpty()) {
            return;
        }
        if (!context.config().setReplicaIdentityFull()) {
            throw new PgRelocateException(ErrorCode.PREFLIGHT_FAILED, "database " + database + ": "
                    + keyless.size() + " table(s) have no primary key or replica identity (" + keyless.stream()
                    .map(QualifiedName::display).collect(java.util.stream.Collectors.joining(", ")) + "), so their UPDATE and DELETE cannot be replicated; run ALTER TABLE ... REPLICA "
                    + "IDENTITY FULL on them, or allow the migration to (setReplicaIdentityFull)");
        }
        try (Statement st = src.createStatement()) {
            for (QualifiedName t : keyless) {
                log.warn("setting REPLICA IDENTITY FULL on source table {} of {}, as allowed", t.display(), database);
                st.execute("ALTER TABLE " + t.sql() + " REPLICA IDENTITY FULL");
            }
        }
    }

    /** Installs the schema-change capture where wanted and allowed (a superuser's), and says whether it did. */
    private boolean installCapture(Connection src, boolean superuser) throws SQLException {
        if (superuser && context.config().captureDdl()) {
            capture.install(src);
            log.info("database {}: schema changes are captured on the source and replayed in commit order", database);
            return true;
        }
        log.warn("database {}: schema changes are not captured ({}): a schema change on the source stops the "
                + "migration", database, superuser ? "capture is turned off" : "only a superuser may create the "
                + "event trigger");
        return false;
    }

    /** Opens a replication connection and creates the slot; the connection must stay idle during the copy. */
    Connection replicationConnection() {
        return context.source().openReplication(database, "stream");
    }

    /** Drops slot and publication (stop, cutover, or cleanup after a copy that did not finish). */
    void dropSlotAndPublication() {
        try (Connection src = context.source().open(database, "setup")) {
            SlotManager.drop(src, slot, null);
            // the capture first: its event trigger would watch each batch of the publication's drop
            if (DdlCapture.possible(src)) {
                capture.remove(src);
            }
            SlotManager.drop(src, slot, publication);
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.REPLICATION_FAILED, "cannot drop slot " + slot
                    + " or the schema-change capture", e);
        }
    }
}
