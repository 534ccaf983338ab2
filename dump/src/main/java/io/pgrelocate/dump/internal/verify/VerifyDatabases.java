package io.pgrelocate.dump.internal.verify;

import io.pgrelocate.core.DatabaseSelection;
import io.pgrelocate.core.Endpoint;
import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.core.spi.DatabaseInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which source databases verify compares, chosen as a migration chooses them. The same rules as core's
 * internal {@code DatabaseResolver}, which the dump module cannot reach (core does not export its internals).
 */
final class VerifyDatabases {
    private VerifyDatabases() {
    }

    /**
     * @throws PgRelocateException {@link ErrorCode#DATABASE_NOT_FOUND} for a selected database the source lacks,
     *                             {@link ErrorCode#INVALID_CONFIG} when nothing is left to compare
     */
    static List<DatabaseInfo> resolve(DatabaseSelection selection, List<DatabaseInfo> all, Endpoint source) {
        List<DatabaseInfo> out = new ArrayList<>();
        List<String> candidates = all.stream().filter(d -> !d.isTemplate() && d.allowConnections())
                .map(DatabaseInfo::name).toList();
        if (selection.isExplicit()) {
            for (String name : selection.included()) {
                Optional<DatabaseInfo> db = all.stream().filter(d -> d.name().equals(name)).findFirst();
                if (db.isEmpty()) {
                    throw new PgRelocateException(ErrorCode.DATABASE_NOT_FOUND, "database '" + name
                            + "' does not exist on source " + source.display() + "; the source has: "
                            + String.join(", ", candidates));
                }
                out.add(db.get());
            }
        } else {
            all.stream().filter(d -> candidates.contains(d.name()) && selection.test(d.name())).forEach(out::add);
        }
        if (out.isEmpty()) {
            throw new PgRelocateException(ErrorCode.INVALID_CONFIG, "no database left to verify on source "
                    + source.display() + " after the ignore list; the source has: " + String.join(", ", candidates));
        }
        return List.copyOf(out);
    }
}
