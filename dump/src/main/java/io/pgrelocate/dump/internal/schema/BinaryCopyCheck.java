package io.pgrelocate.dump.internal.schema;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a type travels in binary COPY: it and every type inside it (array element, domain base,
 * composite attribute) has binary send and receive functions. Types without them need text COPY.
 */
final class BinaryCopyCheck {
    private record TypeInfo(boolean hasBinaryIo, long element, long base, long relation) {
    }

    private final Map<Long, TypeInfo> types = new HashMap<>();
    private final Map<Long, List<Long>> attributes = new HashMap<>();
    private final Map<Long, Boolean> cache = new HashMap<>();

    private BinaryCopyCheck() {
    }

    static BinaryCopyCheck load(Catalog catalog) throws SQLException {
        BinaryCopyCheck check = new BinaryCopyCheck();
        catalog.query("SELECT oid, typsend <> 0 AND typreceive <> 0, typelem, typbasetype, "
                + "CASE WHEN typtype = 'c' THEN typrelid ELSE 0 END FROM pg_type", rs -> {
                    check.types.put(rs.getLong(1), new TypeInfo(rs.getBoolean(2), rs.getLong(3), rs.getLong(4),
                            rs.getLong(5)));
                    return null;
                });
        catalog.query("SELECT t.oid, array_agg(a.atttypid) FROM pg_type t JOIN pg_attribute a ON a.attrelid = t.typrelid "
                + "WHERE t.typtype = 'c' AND a.attnum > 0 AND NOT a.attisdropped GROUP BY t.oid", rs -> {
                    check.attributes.put(rs.getLong(1), List.of((Long[]) rs.getArray(2).getArray()));
                    return null;
                });
        return check;
    }

    boolean supports(long typeOid) {
        Boolean known = cache.get(typeOid);
        if (known != null) {
            return known;
        }
        cache.put(typeOid, true); // a type that contains itself is decided by its other parts
        TypeInfo t = types.get(typeOid);
        boolean ok = t != null && t.hasBinaryIo()
                && (t.element() == 0 || supports(t.element()))
                && (t.base() == 0 || supports(t.base()))
                && attributes.getOrDefault(typeOid, List.of()).stream().allMatch(this::supports);
        cache.put(typeOid, ok);
        return ok;
    }
}
