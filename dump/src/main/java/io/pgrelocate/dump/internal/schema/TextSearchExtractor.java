package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.Sql;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Text search parsers, templates, dictionaries and configurations (with their token mappings). */
final class TextSearchExtractor {
    private TextSearchExtractor() {
    }

    private static String where(String alias, String nsp, String catalog) {
        return " WHERE " + alias + ".oid >= 16384 AND " + Catalog.userSchema(alias + "." + nsp) + " AND "
                + Catalog.notExtensionMember(catalog, alias + ".oid") + " ORDER BY 2, 3";
    }

    static List<CatalogObject> all(Catalog catalog) throws SQLException {
        List<CatalogObject> out = new ArrayList<>();
        out.addAll(catalog.query("SELECT p.oid, n.nspname, p.prsname, p.prsstart::regproc::text, "
                + "p.prstoken::regproc::text, p.prsend::regproc::text, p.prslextype::regproc::text, "
                + "NULLIF(p.prsheadline, 0)::regproc::text FROM pg_ts_parser p JOIN pg_namespace n ON n.oid = "
                + "p.prsnamespace" + where("p", "prsnamespace", "pg_ts_parser"), rs -> object(rs.getLong(1),
                CatalogIds.PG_TS_PARSER, "parser", rs.getString(2), rs.getString(3), "START = " + rs.getString(4)
                        + ", GETTOKEN = " + rs.getString(5) + ", END = " + rs.getString(6) + ", LEXTYPES = "
                        + rs.getString(7) + (rs.getString(8) == null ? "" : ", HEADLINE = " + rs.getString(8)))));
        out.addAll(catalog.query("SELECT t.oid, n.nspname, t.tmplname, NULLIF(t.tmplinit, 0)::regproc::text, "
                + "t.tmpllexize::regproc::text FROM pg_ts_template t JOIN pg_namespace n ON n.oid = t.tmplnamespace"
                + where("t", "tmplnamespace", "pg_ts_template"), rs -> object(rs.getLong(1), CatalogIds.PG_TS_TEMPLATE,
                "template", rs.getString(2), rs.getString(3), (rs.getString(4) == null ? "" : "INIT = "
                        + rs.getString(4) + ", ") + "LEXIZE = " + rs.getString(5))));
        out.addAll(catalog.query("SELECT d.oid, n.nspname, d.dictname, (SELECT " + CatalogNames.pair("tn.nspname", "t.tmplname")
                + " "
                + "FROM pg_ts_template t JOIN pg_namespace tn ON tn.oid = t.tmplnamespace WHERE t.oid = d.dicttemplate), "
                + "d.dictinitoption FROM pg_ts_dict d JOIN pg_namespace n ON n.oid = d.dictnamespace"
                + where("d", "dictnamespace", "pg_ts_dict"), rs -> object(rs.getLong(1), CatalogIds.PG_TS_DICT,
                "dictionary", rs.getString(2), rs.getString(3), "TEMPLATE = " + CatalogNames.qualified(rs, 4)
                        + (rs.getString(5) == null ? "" : ", " + rs.getString(5)))));
        out.addAll(configurations(catalog));
        return out;
    }

    private static List<CatalogObject> configurations(Catalog catalog) throws SQLException {
        String sql = "SELECT c.oid, n.nspname, c.cfgname, (SELECT " + CatalogNames.pair("pn.nspname", "p.prsname")
                + " FROM pg_ts_parser p JOIN pg_namespace pn ON pn.oid = p.prsnamespace WHERE p.oid = c.cfgparser), "
                + "ARRAY(SELECT ARRAY[t.alias, dn.nspname::text, d.dictname::text] FROM pg_ts_config_map m "
                + "JOIN ts_token_type(c.cfgparser) t ON t.tokid = m.maptokentype JOIN pg_ts_dict d ON d.oid = m.mapdict "
                + "JOIN pg_namespace dn ON dn.oid = d.dictnamespace WHERE m.mapcfg = c.oid ORDER BY t.tokid, m.mapseqno) "
                + "FROM pg_ts_config c JOIN pg_namespace n "
                + "ON n.oid = c.cfgnamespace" + where("c", "cfgnamespace", "pg_ts_config");
        return catalog.query(sql, rs -> {
            String name = Sql.qualified(rs.getString(2), rs.getString(3));
            List<String> ddl = new ArrayList<>();
            ddl.add("CREATE TEXT SEARCH CONFIGURATION " + name + " (PARSER = " + CatalogNames.qualified(rs, 4) + ")");
            // token type -> its dictionaries in order (rows come by token, then by the mapping's sequence)
            Map<String, List<String>> mappings = new LinkedHashMap<>();
            for (String[] m : CatalogNames.rows(rs, 5)) {
                mappings.computeIfAbsent(m[0], k -> new ArrayList<>()).add(Sql.qualified(m[1], m[2]));
            }
            mappings.forEach((token, dicts) -> ddl.add("ALTER TEXT SEARCH CONFIGURATION " + name + " ADD MAPPING FOR "
                    + Sql.ident(token) + " WITH " + String.join(", ", dicts)));
            return new CatalogObject(ObjectKind.TEXT_SEARCH, "text search configuration " + rs.getString(2) + "."
                    + rs.getString(3), ddl, Set.of(new CatalogKey(CatalogIds.PG_TS_CONFIG, rs.getLong(1))));
        });
    }

    private static CatalogObject object(long oid, long catalogId, String kind, String schema, String name, String options) {
        return new CatalogObject(ObjectKind.TEXT_SEARCH, "text search " + kind + " " + schema + "." + name,
                List.of("CREATE TEXT SEARCH " + kind.toUpperCase(java.util.Locale.ROOT) + " " + Sql.qualified(schema, name)
                        + " (" + options + ")"), Set.of(new CatalogKey(catalogId, oid)));
    }
}
