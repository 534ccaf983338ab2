package io.pgrelocate.dump;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.core.spi.PgErrors;
import io.pgrelocate.core.spi.QualifiedName;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Carries sequence values from a source database to the target: logical replication does not, and a
 * snapshot copy must leave every sequence where the source has it. Stateless and thread-safe.
 */
public final class Sequences {
    private Sequences() {
    }

    /**
     * The qualified names of the source database's own sequences (not those of extensions, but for the ones an
     * extension marks as configuration with {@code pg_extension_config_dump}, whose values pg_dump sets too), outside
     * {@code excludedSchemas}.
     */
    public static List<QualifiedName> list(Connection source, Set<String> excludedSchemas) throws SQLException {
        String sql = "SELECT n.nspname, c.relname FROM pg_class c "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'S' "
                + "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND NOT EXISTS (SELECT 1 FROM pg_depend d "
                + "WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e' AND NOT EXISTS "
                + "(SELECT 1 FROM pg_extension x WHERE c.oid = ANY (x.extconfig))) ORDER BY 1, 2";
        List<QualifiedName> out = new ArrayList<>();
        try (Statement st = source.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                if (!excludedSchemas.contains(rs.getString(1))) {
                    out.add(QualifiedName.read(rs, 1));
                }
            }
        }
        return out;
    }

    /**
     * Sets each sequence on the target to the source's current {@code last_value} and {@code is_called}.
     * Sequences are not transactional, so the value read is the latest, never older than the data copied.
     *
     * @param qualifiedNames the sequences, as {@link #list} returns them
     * @return how many sequences were set
     */
    public static int sync(Connection source, Connection target, List<QualifiedName> qualifiedNames) {
        int n = 0;
        // the sequence found by its raw schema and name, never by parsing a quoted name as regclass
        try (PreparedStatement set = target.prepareStatement("SELECT pg_catalog.setval(c.oid, ?, ?) FROM pg_catalog.pg_class c "
                + "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ? "
                + "AND c.relkind = 'S'")) {
            for (QualifiedName name : qualifiedNames) {
                long value;
                boolean called;
                try (Statement st = source.createStatement();
                     ResultSet rs = st.executeQuery("SELECT last_value, is_called FROM " + name.sql())) {
                    rs.next();
                    value = rs.getLong(1);
                    called = rs.getBoolean(2);
                } catch (SQLException e) {
                    throw PgErrors.failed(ErrorCode.COPY_FAILED, "cannot read sequence " + name.display() + " on the source", e);
                }
                set.setLong(1, value);
                set.setBoolean(2, called);
                set.setString(3, name.schema());
                set.setString(4, name.name());
                try (ResultSet done = set.executeQuery()) {
                    if (!done.next()) {
                        throw new PgRelocateException(ErrorCode.COPY_FAILED, "cannot set sequence " + name.display()
                                + " on the target: it does not exist there");
                    }
                } catch (SQLException e) {
                    throw PgErrors.failed(ErrorCode.COPY_FAILED, "cannot set sequence " + name.display() + " on the target", e);
                }
                n++;
            }
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.COPY_FAILED, "cannot set sequences on the target", e);
        }
        return n;
    }
}
