package io.pgrelocate.dump.internal.schema;

/** Fixed oids of the system catalogs, as pg_depend's classid and refclassid name them. */
final class CatalogIds {
    static final long PG_AM = 2601;
    static final long PG_AMOP = 2602;
    static final long PG_AMPROC = 2603;
    static final long PG_CAST = 2605;
    static final long PG_LANGUAGE = 2612;
    static final long PG_TRANSFORM = 3576;
    static final long PG_COLLATION = 3456;
    static final long PG_CONVERSION = 2607;
    static final long PG_OPERATOR = 2617;
    static final long PG_OPCLASS = 2616;
    static final long PG_OPFAMILY = 2753;
    static final long PG_TS_PARSER = 3601;
    static final long PG_TS_TEMPLATE = 3764;
    static final long PG_TS_DICT = 3600;
    static final long PG_TS_CONFIG = 3602;
    static final long PG_FOREIGN_DATA_WRAPPER = 2328;
    static final long PG_FOREIGN_SERVER = 1417;
    static final long PG_USER_MAPPING = 1418;
    static final long PG_STATISTIC_EXT = 3381;

    private CatalogIds() {
    }
}
