package io.pgrelocate.core.spi;

import io.pgrelocate.core.DatabaseSelection;
import io.pgrelocate.core.Endpoint;
import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.PgRelocateException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Turns a {@link DatabaseSelection} into the source databases a migration (or a verify) works on. */
public final class DatabaseResolver {
    private DatabaseResolver() {
    }

    /**
     * @throws PgRelocateException {@link ErrorCode#DATABASE_NOT_FOUND} for a selected database the source
     *                             lacks, {@link ErrorCode#INVALID_CONFIG} when nothing is left to migrate
     */
    public static List<DatabaseInfo> resolve(DatabaseSelection selection, List<DatabaseInfo> all, Endpoint source) {
        Map<String, DatabaseInfo> byName = all.stream()
                .collect(Collectors.toMap(DatabaseInfo::name, Function.identity()));
        List<DatabaseInfo> out = new ArrayList<>();
        if (selection.isExplicit()) {
            for (String name : selection.included()) {
                DatabaseInfo db = byName.get(name);
                if (db == null) {
                    throw new PgRelocateException(ErrorCode.DATABASE_NOT_FOUND, "database '" + name
                            + "' does not exist on source " + source.display() + "; the source has: "
                            + String.join(", ", candidates(all)));
                }
                if (db.isTemplate() || !db.allowConnections()) {
                    throw new PgRelocateException(ErrorCode.INVALID_CONFIG, "database '" + name
                            + "' is a template or does not accept connections and cannot be migrated");
                }
                out.add(db);
            }
        } else {
            for (DatabaseInfo db : all) {
                if (!db.isTemplate() && db.allowConnections() && selection.test(db.name())) {
                    out.add(db);
                }
            }
        }
        if (out.isEmpty()) {
            throw new PgRelocateException(ErrorCode.INVALID_CONFIG, "no database left on source "
                    + source.display() + " after the ignore list; the source has: " + String.join(", ", candidates(all)));
        }
        return List.copyOf(out);
    }

    private static List<String> candidates(List<DatabaseInfo> all) {
        return all.stream().filter(d -> !d.isTemplate() && d.allowConnections()).map(DatabaseInfo::name).toList();
    }
}
