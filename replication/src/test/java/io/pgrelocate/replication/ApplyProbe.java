package io.pgrelocate.replication;

import io.pgrelocate.core.spi.Sql;
import io.pgrelocate.testkit.SqlRunner;

import java.util.List;

/**
 * A test's window on how the apply wrote a target table's rows: an {@code ENABLE ALWAYS} statement trigger (it
 * fires under the apply's replica role too) records the first word of the client statement that inserted,
 * {@code current_query()}: {@code COPY} for the COPY path, {@code INSERT} for the other. Target-only objects, so
 * {@link #remove} them before a cutover compares the schemas.
 */
final class ApplyProbe {
    private ApplyProbe() {
    }

    /** Records every insert statement into {@code tables} (names in schema public) of {@code database}. */
    static void install(SqlRunner target, String database, String... tables) {
        target.execute(database, "CREATE TABLE public.apply_probe (tbl text, stmt text)",
                // SECURITY DEFINER: the apply role need not be allowed to write the probe's table
                "CREATE FUNCTION public.apply_probe() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$BEGIN "
                        + "INSERT INTO public.apply_probe VALUES (TG_TABLE_NAME, "
                        + "upper(split_part(ltrim(current_query()), ' ', 1))); RETURN NULL; END$$");
        for (String t : tables) {
            String table = Sql.qualified("public", t);
            target.execute(database, "CREATE TRIGGER apply_probe AFTER INSERT ON " + table + " FOR EACH STATEMENT "
                    + "EXECUTE FUNCTION public.apply_probe()", "ALTER TABLE " + table + " ENABLE ALWAYS TRIGGER "
                    + "apply_probe");
        }
    }

    /** The kinds of statement ({@code COPY}, {@code INSERT}) that inserted into {@code table}, sorted. */
    static List<String> statements(SqlRunner target, String database, String table) {
        return target.queryColumn(database, "SELECT DISTINCT stmt FROM public.apply_probe WHERE tbl = "
                + Sql.literal(table) + " ORDER BY 1");
    }

    /** Drops the probe: triggers, function and table. */
    static void remove(SqlRunner target, String database) {
        target.execute(database, "DROP FUNCTION public.apply_probe() CASCADE", "DROP TABLE public.apply_probe");
    }
}
