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

    ReplicationSetup(MigrationContext context, String database, String slot, String publication) {
        this.context = context;
        this.database = database;
        this.slot = slot;
        this.publication = publication;
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

    /** Drops what an earlier attempt left, sets replica identity where allowed, creates the publication. */
    void publish() {
        try (Connection src = context.source().open(database, "setup")) {
            SlotManager.drop(src, slot, publication);
            Set<String> excluded = Set.of(context.config().stateSchema());
            List<QualifiedName> tables = SlotManager.publishableTables(src, excluded);
            List<QualifiedName> keyless = SlotManager.withoutReplicaIdentity(src, tables);
            if (!keyless.isEmpty()) {
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
            SlotManager.createPublication(src, publication, tables);
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.REPLICATION_FAILED, "cannot create publication " + publication + " in "
                    + database, e);
        }
    }

    /** Opens a replication connection and creates the slot; the connection must stay idle during the copy. */
    Connection replicationConnection() {
        return context.source().openReplication(database, "stream");
    }

    /** Drops slot and publication (stop, cutover, or cleanup after a copy that did not finish). */
    void dropSlotAndPublication() {
        try (Connection src = context.source().open(database, "setup")) {
            SlotManager.drop(src, slot, publication);
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.REPLICATION_FAILED, "cannot drop slot " + slot, e);
        }
    }
}
