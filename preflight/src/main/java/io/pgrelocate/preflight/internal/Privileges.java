package io.pgrelocate.preflight.internal;

import io.pgrelocate.core.spi.QualifiedName;
import io.pgrelocate.core.spi.Sql;
import io.pgrelocate.preflight.FindingCode;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a non-superuser source role may do in one database: read every table and sequence (both modes);
 * for continuous mode also publish every table, which PostgreSQL allows only to the table's owner, and
 * create the publication (CREATE on the database).
 */
final class Privileges {
    private static final String OBJECTS = "SELECT n.nspname, c.relname, c.relkind::text, "
            + "has_schema_privilege(n.oid, 'USAGE')::text, "
            + "(CASE WHEN c.relkind = 'S' THEN has_sequence_privilege(c.oid, 'SELECT') "
            + "ELSE has_table_privilege(c.oid, 'SELECT') END)::text, pg_has_role(c.relowner, 'USAGE')::text, "
            + "(c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relpersistence = 'p')::text "
            + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'S') AND "
            + Queries.USER_SCHEMA + " AND " + Queries.NOT_EXTENSION_MEMBER + " ORDER BY 1, 2";

    private Privileges() {
    }

    static void check(Connection c, String db, String user, boolean continuous, Findings findings)
            throws SQLException {
        Set<String> schemas = new LinkedHashSet<>();
        List<QualifiedName> tables = new ArrayList<>();
        List<QualifiedName> sequences = new ArrayList<>();
        List<QualifiedName> notOwned = new ArrayList<>();
        for (List<String> row : Queries.rows(c, OBJECTS)) {
            QualifiedName name = new QualifiedName(row.get(0), row.get(1));
            boolean schemaOk = "true".equals(row.get(3));
            if (!schemaOk) {
                schemas.add(Sql.ident(row.get(0)));
            }
            if (!schemaOk || !"true".equals(row.get(4))) {
                ("S".equals(row.get(2)) ? sequences : tables).add(name);
            }
            if ("true".equals(row.get(6)) && !"true".equals(row.get(5))) {
                notOwned.add(name);
            }
        }
        String role = Sql.ident(user);
        if (!tables.isEmpty() || !sequences.isEmpty()) {
            List<String> missing = new ArrayList<>(display(tables));
            missing.addAll(display(sequences));
            StringBuilder fix = new StringBuilder(Sql.comment("in database " + Sql.ident(db)
                    + ", as the owner or a superuser:"));
            for (String s : schemas) {
                fix.append("\nGRANT USAGE ON SCHEMA ").append(s).append(" TO ").append(role).append(';');
            }
            if (!tables.isEmpty()) {
                fix.append("\nGRANT SELECT ON TABLE ").append(sql(tables)).append(" TO ").append(role)
                        .append(';');
            }
            if (!sequences.isEmpty()) {
                fix.append("\nGRANT SELECT ON SEQUENCE ").append(sql(sequences)).append(" TO ")
                        .append(role).append(';');
            }
            findings.error(FindingCode.ROLE_MISSING_SELECT, user + "@" + db, "database " + db + ": role " + user
                    + " cannot read " + missing.size() + " object(s): " + Findings.listed(missing, 20),
                    fix.toString());
        }
        if (continuous) {
            publish(c, db, user, notOwned, findings);
        }
    }

    private static List<String> display(List<QualifiedName> names) {
        return names.stream().map(QualifiedName::display).toList();
    }

    private static String sql(List<QualifiedName> names) {
        return String.join(", ", names.stream().map(QualifiedName::sql).toList());
    }

    private static void publish(Connection c, String db, String user, List<QualifiedName> notOwned, Findings findings)
            throws SQLException {
        boolean canCreate = Queries.bool(c, "SELECT has_database_privilege(current_database(), 'CREATE')");
        if (notOwned.isEmpty() && canCreate) {
            return;
        }
        String role = Sql.ident(user);
        List<String> problems = new ArrayList<>();
        StringBuilder fix = new StringBuilder(Sql.comment("in database " + Sql.ident(db) + ", as a superuser:"));
        if (!canCreate) {
            problems.add("cannot create a publication (no CREATE privilege on the database)");
            fix.append("\nGRANT CREATE ON DATABASE ").append(Sql.ident(db)).append(" TO ").append(role).append(';');
        }
        if (!notOwned.isEmpty()) {
            problems.add("may not publish " + notOwned.size() + " table(s) it does not own: "
                    + Findings.listed(display(notOwned), 20));
            fix.append("\n-- publishing a table needs its ownership: migrate as the tables' owner or a superuser, or:");
            for (QualifiedName t : notOwned) {
                fix.append("\nALTER TABLE ").append(t.sql()).append(" OWNER TO ").append(role).append(';');
            }
        }
        findings.error(FindingCode.ROLE_CANNOT_PUBLISH, user + "@" + db, "database " + db + ": role " + user + " "
                + String.join("; and ", problems), fix.toString());
    }
}
