package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.Sql;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Base types, as pg_dump replays them: a shell type first ({@code CREATE TYPE name}), so that the input and
 * output functions can be created, then the full definition once they exist. {@link DependencySorter} lets a
 * function's dependency on a base type be met by the shell.
 */
final class BaseTypeExtractor {
    private BaseTypeExtractor() {
    }

    private static String proc(String column) {
        return "NULLIF(t." + column + ", 0)::regproc::text";
    }

    static List<CatalogObject> baseTypes(Catalog catalog) throws SQLException {
        String sql = "SELECT t.oid, t.typarray, n.nspname, t.typname, " + proc("typinput") + ", " + proc("typoutput") + ", "
                + proc("typreceive") + ", " + proc("typsend") + ", " + proc("typmodin") + ", " + proc("typmodout") + ", "
                + proc("typanalyze") + ", NULLIF((to_jsonb(t) ->> 'typsubscript'), '-'), t.typlen, t.typbyval, "
                + "t.typalign::text, t.typstorage::text, t.typcategory::text, t.typispreferred, t.typdefault, "
                + "CASE WHEN t.typelem <> 0 THEN format_type(t.typelem, NULL) END, t.typdelim::text, t.typcollation <> 0 "
                + "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype = 'b' AND NOT EXISTS "
                + "(SELECT 1 FROM pg_type e WHERE e.typarray = t.oid) AND " + Catalog.userSchema("t.typnamespace")
                + " AND " + Catalog.notExtensionMember("pg_type", "t.oid") + " ORDER BY 3, 4";
        List<CatalogObject> out = new ArrayList<>();
        catalog.query(sql, rs -> {
            String name = Sql.qualified(rs.getString(3), rs.getString(4));
            String display = rs.getString(3) + "." + rs.getString(4);
            out.add(new CatalogObject(ObjectKind.SHELL_TYPE, "shell type " + display, List.of("CREATE TYPE " + name),
                    Set.of()));
            Set<CatalogKey> owns = new HashSet<>();
            owns.add(new CatalogKey(TypeExtractor.PG_TYPE, rs.getLong(1)));
            if (rs.getLong(2) != 0) {
                owns.add(new CatalogKey(TypeExtractor.PG_TYPE, rs.getLong(2)));
            }
            out.add(new CatalogObject(ObjectKind.BASE_TYPE, "type " + display, List.of("CREATE TYPE " + name + " ("
                    + options(rs) + ")"), owns));
            return null;
        });
        return out;
    }

    private static String options(ResultSet rs) throws SQLException {
        List<String> o = new ArrayList<>();
        o.add("INPUT = " + rs.getString(5));
        o.add("OUTPUT = " + rs.getString(6));
        String[] optional = {"RECEIVE", "SEND", "TYPMOD_IN", "TYPMOD_OUT", "ANALYZE", "SUBSCRIPT"};
        for (int i = 0; i < optional.length; i++) {
            if (rs.getString(7 + i) != null) {
                o.add(optional[i] + " = " + rs.getString(7 + i));
            }
        }
        o.add("INTERNALLENGTH = " + (rs.getInt(13) < 0 ? "VARIABLE" : String.valueOf(rs.getInt(13))));
        if (rs.getBoolean(14)) {
            o.add("PASSEDBYVALUE");
        }
        o.add("ALIGNMENT = " + switch (rs.getString(15)) {
            case "c" -> "char";
            case "s" -> "int2";
            case "d" -> "double";
            default -> "int4";
        });
        o.add("STORAGE = " + switch (rs.getString(16)) {
            case "e" -> "external";
            case "x" -> "extended";
            case "m" -> "main";
            default -> "plain";
        });
        o.add("CATEGORY = " + Sql.literal(rs.getString(17)));
        if (rs.getBoolean(18)) {
            o.add("PREFERRED = true");
        }
        if (rs.getString(19) != null) {
            o.add("DEFAULT = " + Sql.literal(rs.getString(19)));
        }
        if (rs.getString(20) != null) {
            o.add("ELEMENT = " + rs.getString(20));
        }
        if (!",".equals(rs.getString(21))) {
            o.add("DELIMITER = " + Sql.literal(rs.getString(21)));
        }
        if (rs.getBoolean(22)) {
            o.add("COLLATABLE = true");
        }
        return String.join(", ", o);
    }
}
