package io.pgrelocate.replication.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.PgRelocateException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A slot the source gave up on: it fell more than {@code max_slot_wal_keep_size} behind, a checkpoint removed the
 * WAL it still needed, and its changes since can never be streamed ({@code wal_status = 'lost'}; reading it fails
 * with SQLSTATE 55000). The only way on is to copy that database again with a new slot.
 */
final class InvalidatedSlot {
    private InvalidatedSlot() {
    }

    /** Whether {@code slot} exists and was invalidated. */
    static boolean isInvalidated(Connection source, String slot) throws SQLException {
        try (PreparedStatement ps = source.prepareStatement(
                "SELECT wal_status = 'lost' FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, slot);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** The failure that says what happened, why, and what to do. */
    static PgRelocateException failure(Connection source, String database, String slot) throws SQLException {
        String keep;
        try (Statement st = source.createStatement(); ResultSet rs = st.executeQuery("SHOW max_slot_wal_keep_size")) {
            rs.next();
            keep = rs.getString(1);
        }
        return new PgRelocateException(ErrorCode.REPLICATION_FAILED, "database " + database + ": the source "
                + "invalidated replication slot " + slot + ": it fell more than max_slot_wal_keep_size (" + keep
                + ") behind and the source removed the WAL it still needed, so the changes since cannot be streamed. "
                + "Copy this database again: rerun the migration with --recopy-invalidated (recopyInvalidatedSlots"
                + "(true)), which drops the slot and copies the database from scratch; raise max_slot_wal_keep_size "
                + "on the source (-1: no limit) so that it does not happen again");
    }
}
