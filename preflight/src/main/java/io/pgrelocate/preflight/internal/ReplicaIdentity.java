package io.pgrelocate.preflight.internal;

import io.pgrelocate.core.spi.QualifiedName;
import io.pgrelocate.core.spi.Sql;
import io.pgrelocate.preflight.FindingCode;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Tables whose UPDATE and DELETE cannot be replicated: published (the same tables the continuous engine
 * publishes, and the partitions of partitioned ones, which are published through their root) but with neither
 * a primary key nor a replica identity. Once published, UPDATE and DELETE on them fail on the source itself.
 */
final class ReplicaIdentity {
    // a unique, immediate, non-partial index on NOT NULL plain columns can serve as the replica identity
    private static final String SQL = "SELECT n.nspname, c.relname, (SELECT ic.relname "
            + "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = c.oid AND i.indisunique "
            + "AND i.indimmediate AND i.indpred IS NULL AND i.indexprs IS NULL AND NOT EXISTS (SELECT 1 FROM "
            + "pg_attribute a WHERE a.attrelid = c.oid AND a.attnum = ANY (i.indkey) AND NOT a.attnotnull) "
            + "ORDER BY ic.relname LIMIT 1) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE c.relkind IN ('r', 'p') AND c.relpersistence = 'p' AND " + Queries.USER_SCHEMA
            + " AND " + Queries.NOT_EXTENSION_MEMBER + " AND n.nspname <> ? AND (c.relreplident = 'n' OR "
            + "(c.relreplident = 'd' AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid "
            + "AND i.indisprimary))) ORDER BY 1, 2";

    private ReplicaIdentity() {
    }

    static void check(Connection c, String db, String stateSchema, boolean mayFix, Findings findings)
            throws SQLException {
        List<List<String>> rows = Queries.rows(c, SQL, stateSchema);
        if (rows.isEmpty()) {
            return;
        }
        List<String> tables = rows.stream().map(r -> new QualifiedName(r.get(0), r.get(1)).display()).toList();
        if (mayFix) {
            findings.info(FindingCode.REPLICA_IDENTITY_WILL_BE_SET, Findings.tables(db, tables), "database " + db + ": the migration will set "
                    + "REPLICA IDENTITY FULL on " + tables.size() + " table(s) without a key, as allowed: "
                    + Findings.listed(tables, 20) + "; their UPDATE and DELETE then log whole old rows", "");
            return;
        }
        StringBuilder fix = new StringBuilder(Sql.comment("in database " + Sql.ident(db)
                + ", for each table one of:"));
        for (List<String> r : rows) {
            fix.append("\nALTER TABLE ").append(new QualifiedName(r.get(0), r.get(1)).sql());
            if (r.get(2) != null) {
                fix.append(" REPLICA IDENTITY USING INDEX ").append(Sql.ident(r.get(2))).append(';');
            } else {
                fix.append(" REPLICA IDENTITY FULL;");
            }
        }
        fix.append("\n-- (or add a primary key; or let the migration set REPLICA IDENTITY FULL: "
                + "setReplicaIdentityFull(true) / --set-replica-identity-full)");
        findings.error(FindingCode.TABLE_WITHOUT_REPLICA_IDENTITY, Findings.tables(db, tables), "database " + db + ": " + tables.size()
                + " table(s) have no primary key and no replica identity, so their UPDATE and DELETE cannot be "
                + "replicated (and would fail on the source once published): " + Findings.listed(tables, 20),
                fix.toString());
    }
}
