package io.pgrelocate.replication.internal;

import io.pgrelocate.core.spi.QualifiedName;
import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.Lsn;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.core.spi.PgErrors;
import io.pgrelocate.core.spi.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays on the target the schema changes {@link DdlCapture} recorded on the source, at the point of the
 * stream where they arrive: inside the apply transaction, so under the same progress row as the changes
 * around them; or, for a statement that cannot run in a transaction block (CREATE INDEX CONCURRENTLY), on
 * its own after the work before it is committed. A statement that is not plain DDL, or that the target
 * rejects, stops the database before anything after it is applied. Not thread-safe.
 */
final class DdlReplay {
    private static final Logger log = LoggerFactory.getLogger(DdlReplay.class);

    /**
     * The longest statement text (bytes) replayed: it is held whole, a few times over (as read, as a String, as
     * pgjdbc sends it), where row values of any size are streamed through.
     */
    static final long MAX_TEXT_BYTES = 64L << 20;

    private final String database;
    private final String schema;
    private final String table;
    private final Map<Integer, PgOutputMessage.Relation> captures = new HashMap<>();
    private Lsn sourceLsn = Lsn.INVALID;

    DdlReplay(String database, String stateSchema, String migrationId) {
        this.database = database;
        this.schema = stateSchema;
        this.table = DdlCapture.name(migrationId);
    }

    /** Whether {@code r} describes the capture table (which the target does not have); remembers it if so. */
    boolean isCapture(PgOutputMessage.Relation r) {
        if (schema.equals(r.schema()) && table.equals(r.name())) {
            captures.put(r.id(), r);
            return true;
        }
        return false;
    }

    boolean isCapture(int relationId) {
        return captures.containsKey(relationId);
    }

    /** The source transaction now arriving ends at {@code finalLsn}: named when a statement stops the stream. */
    void sourceTransaction(Lsn finalLsn) {
        sourceLsn = finalLsn;
    }

    /** Whether {@code change} is a recorded statement that must run outside a transaction block. */
    boolean needsOwnTransaction(PgOutputMessage change) {
        return change instanceof PgOutputMessage.Insert i && isCapture(i.relationId())
                && DdlText.parse(record(i).get("query")).needsOwnTransaction();
    }

    /**
     * Runs the recorded statement on {@code target}.
     *
     * @param inTransaction whether changes of the current source transaction are already applied (uncommitted)
     * @return whether it ran inside the apply transaction (false: on its own, committed)
     */
    boolean replay(Connection target, PgOutputMessage.Insert insert, boolean inTransaction) throws SQLException {
        Map<String, String> rec = record(insert);
        String query = rec.get("query");
        if (rec.get("problem") != null) {
            throw stop(query, rec.get("problem") + "; give it a primary key (or REPLICA IDENTITY FULL) on the source "
                    + "and migrate again, or allow setReplicaIdentityFull");
        }
        DdlText text = DdlText.parse(query);
        DdlText.Part other = text.notDdl();
        if (other != null || text.ddl().isEmpty()) {
            throw stop(query, "it is not plain DDL (" + (other == null ? "no DDL statement" : abbreviate(other.text()))
                    + "): the stream carries the rows it wrote, so it cannot be replayed; make the same change on the "
                    + "target by hand, then start the migration again (it resumes from before this statement and "
                    + "stops here again), or migrate again, and run schema changes as plain DDL statements");
        }
        log.info("database {}: replaying schema change from source LSN {}: {}", database, sourceLsn,
                abbreviate(query));
        if (text.needsOwnTransaction()) {
            if (inTransaction) {
                throw stop(query, "it must run outside a transaction block, but arrived after other changes of "
                        + "its transaction");
            }
            runAlone(target, rec, text);
            return false;
        }
        run(target, rec, text);
        return true;
    }

    private void run(Connection target, Map<String, String> rec, DdlText text) {
        try (Statement st = target.createStatement()) {
            String saved = setting(st, "search_path");
            setSearchPath(target, rec.get("search_path"), true);
            boolean role = setRole(target, st, rec.get("role_name"), true);
            for (DdlText.Part p : text.ddl()) {
                st.execute(p.text());
            }
            if (role) {
                st.execute("RESET ROLE");
            }
            setSearchPath(target, saved, true);
        } catch (SQLException e) {
            throw rejected(rec.get("query"), e);
        }
    }

    /** Outside a transaction block; a statement that already ran before a crash (it exists, or is gone) is done. */
    private void runAlone(Connection target, Map<String, String> rec, DdlText text) throws SQLException {
        target.commit();
        target.setAutoCommit(true);
        try (Statement st = target.createStatement()) {
            String saved = setting(st, "search_path");
            setSearchPath(target, rec.get("search_path"), false);
            boolean role = setRole(target, st, rec.get("role_name"), false);
            try {
                for (DdlText.Part p : text.ddl()) {
                    runIdempotent(target, st, p, rec.get("objects"));
                }
            } finally {
                if (role) {
                    st.execute("RESET ROLE");
                }
                setSearchPath(target, saved, false);
            }
        } catch (SQLException e) {
            throw rejected(rec.get("query"), e);
        } finally {
            target.setAutoCommit(false);
        }
    }

    private void runIdempotent(Connection target, Statement st, DdlText.Part p, String objects) throws SQLException {
        try {
            st.execute(p.text());
        } catch (SQLException e) {
            if ("42704".equals(e.getSQLState()) && p.keyword().equals("DROP")) {
                log.info("database {}: {} already ran before a restart", database, abbreviate(p.text()));
            } else if ("42P07".equals(e.getSQLState()) && p.keyword().equals("CREATE")) {
                // an index a crash left invalid is built again; a valid one is the earlier run's
                for (String index : PgArrays.parse(objects)) {
                    java.util.Optional<QualifiedName> invalid = invalidIndex(target, index);
                    if (invalid.isPresent()) {
                        st.execute("DROP INDEX CONCURRENTLY " + invalid.get().sql());
                        st.execute(p.text());
                        return;
                    }
                }
                log.info("database {}: {} already ran before a restart", database, abbreviate(p.text()));
            } else {
                throw e;
            }
        }
    }

    /** The index {@code identity} names when it is invalid, read back as schema and name (never the text itself). */
    private static java.util.Optional<QualifiedName> invalidIndex(Connection target, String identity)
            throws SQLException {
        try (PreparedStatement ps = target.prepareStatement("SELECT n.nspname, c.relname FROM pg_index i "
                + "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE i.indexrelid = to_regclass(?) AND NOT i.indisvalid")) {
            ps.setString(1, identity);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? java.util.Optional.of(QualifiedName.read(rs, 1)) : java.util.Optional.empty();
            }
        }
    }

    /** SET ROLE to the role that ran the statement on the source, so what it creates has the same owner. */
    private static boolean setRole(Connection target, Statement st, String role, boolean local) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement("SELECT pg_has_role(session_user, oid, 'MEMBER') "
                + "AND rolname <> current_user FROM pg_roles WHERE rolname = ?")) {
            ps.setString(1, role);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return false;
                }
            }
        }
        st.execute("SET " + (local ? "LOCAL " : "") + "ROLE " + Sql.ident(role));
        return true;
    }

    private static void setSearchPath(Connection target, String value, boolean local) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement("SELECT set_config('search_path', ?, ?)")) {
            ps.setString(1, value);
            ps.setBoolean(2, local);
            ps.execute();
        }
    }

    private static String setting(Statement st, String name) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT current_setting(" + Sql.literal(name) + ")")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private Map<String, String> record(PgOutputMessage.Insert insert) {
        PgOutputMessage.Relation r = captures.get(insert.relationId());
        if (insert.row().hasSpilled()) {
            readBack(insert.row());
        }
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < r.columns().size(); i++) {
            out.put(r.columns().get(i).name(), insert.row().values()[i]);
        }
        return out;
    }

    /**
     * A statement over {@link XLogPayload#SPILL_BYTES} in a big message (a COMMENT with a long literal, a view with
     * a huge IN list) arrived in a file: the target takes it only as one string, so it is read back into memory,
     * up to {@link #MAX_TEXT_BYTES}; one bigger stops the database, naming its size.
     */
    private void readBack(PgOutputMessage.Tuple row) {
        for (int i = 0; i < row.size(); i++) {
            SpilledValue v = row.spilled(i);
            if (v != null && v.length() > MAX_TEXT_BYTES) {
                throw stop(v.head(400), "its text is " + (v.length() >> 20) + " MB, more than the "
                        + (MAX_TEXT_BYTES >> 20) + " MB pgrelocate holds in memory to replay one statement; make the "
                        + "same change on the target by hand and migrate again, or make the change in smaller "
                        + "statements");
            }
        }
        try {
            row.readSpilled();
        } catch (IOException e) {
            throw new PgRelocateException(ErrorCode.REPLICATION_FAILED, "database " + database + ": cannot read "
                    + "back the schema change at source LSN " + sourceLsn + " from its temporary file: " + e, e);
        }
    }

    private PgRelocateException rejected(String query, SQLException e) {
        return stop(query, "the target rejected it (" + PgErrors.firstLine(e.getMessage()) + "); make the target "
                + "accept it (a missing role or extension?) and start the migration again to resume from before it, "
                + "or migrate again");
    }

    private PgRelocateException stop(String query, String why) {
        return new PgRelocateException(ErrorCode.SCHEMA_CHANGED, "database " + database + ": the schema change at "
                + "source LSN " + sourceLsn + " cannot be replayed, so the stream stopped before it and nothing after "
                + "it was applied: " + abbreviate(query) + ": " + why);
    }

    /** The statement for a log line or a message: a password option masked first, then shortened. */
    private static String abbreviate(String sql) {
        String one = Sql.maskPasswords(sql).strip().replaceAll("\\s+", " ");
        return one.length() > 200 ? one.substring(0, 200) + "..." : one;
    }

    /** Reads the text form of a one-dimensional text array, such as {@code {public.a,"public.""b"""}}. */
    static final class PgArrays {
        private PgArrays() {
        }

        static List<String> parse(String text) {
            List<String> out = new ArrayList<>();
            if (text == null || text.length() < 2) {
                return out;
            }
            StringBuilder cur = new StringBuilder();
            boolean quoted = false;
            for (int i = 1; i < text.length() - 1; i++) {
                char c = text.charAt(i);
                if (quoted && c == '\\') {
                    cur.append(text.charAt(++i));
                } else if (c == '"') {
                    quoted = !quoted;
                } else if (c == ',' && !quoted) {
                    out.add(cur.toString());
                    cur.setLength(0);
                } else {
                    cur.append(c);
                }
            }
            if (text.length() > 2) {
                out.add(cur.toString());
            }
            return out;
        }
    }
}
