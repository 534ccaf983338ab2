package io.pgrelocate.preflight.internal;

import io.pgrelocate.core.DatabaseSelection;
import io.pgrelocate.core.spi.DatabaseInfo;
import io.pgrelocate.preflight.FindingCode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The source databases a migration would move; what cannot be selected becomes a finding. */
public final class DatabaseSelector {
    private DatabaseSelector() {
    }

    public static List<DatabaseInfo> select(DatabaseSelection selection, ServerSession source, Findings findings) {
        List<DatabaseInfo> out = new ArrayList<>();
        List<String> candidates = source.databases().stream().filter(d -> !d.isTemplate() && d.allowConnections())
                .map(DatabaseInfo::name).toList();
        if (selection.isExplicit()) {
            for (String name : selection.included()) {
                Optional<DatabaseInfo> db = source.database(name);
                if (db.isEmpty() || db.get().isTemplate() || !db.get().allowConnections()) {
                    findings.error(FindingCode.DATABASE_NOT_FOUND, name, "database '" + name + "' "
                            + (db.isEmpty() ? "does not exist on the source" : "is a template or does not accept "
                            + "connections"), "select one of: " + String.join(", ", candidates));
                } else {
                    out.add(db.get());
                }
            }
        } else {
            source.databases().stream().filter(d -> !d.isTemplate() && d.allowConnections())
                    .filter(d -> selection.test(d.name())).forEach(out::add);
        }
        if (out.isEmpty() && !selection.isExplicit()) {
            findings.error(FindingCode.NO_DATABASES, "source", "no database is left to migrate after the ignore "
                    + "list", "select databases that exist on the source: " + String.join(", ", candidates));
        }
        return List.copyOf(out);
    }
}
