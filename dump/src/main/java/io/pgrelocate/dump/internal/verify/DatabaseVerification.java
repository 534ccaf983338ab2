package io.pgrelocate.dump.internal.verify;

import io.pgrelocate.dump.Difference;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** Verifies one database: its schema, then its rows and sequences. */
final class DatabaseVerification {
    /** The differences found in one database and how much was compared. */
    record Outcome(List<Difference> differences, int objects, int tables, long rows) {
    }

    private final VerifyRun.Settings settings;
    private final String database;

    DatabaseVerification(VerifyRun.Settings settings, String database) {
        this.settings = settings;
        this.database = database;
    }

    Outcome run() {
        Set<String> common = settings.commonRoles();
        Set<String> excluded = Set.of(settings.stateSchema());
        try (SidePool source = new SidePool(settings.source(), database, settings.jobs());
             SidePool target = new SidePool(settings.target(), database, settings.jobs())) {
            CompletableFuture<CatalogSnapshot> s = CatalogSnapshot.read(source, excluded, common,
                    settings.compareData());
            CompletableFuture<CatalogSnapshot> t = CatalogSnapshot.read(target, excluded, common,
                    settings.compareData());
            CatalogSnapshot sourceSchema = SidePool.join(s);
            CatalogSnapshot targetSchema = SidePool.join(t);
            SchemaComparison schema = new SchemaComparison(database, settings.sourceRoles(), settings.targetRoles(),
                    settings.sourceMajor(), settings.targetMajor());
            List<Difference> out = new ArrayList<>(schema.compare(sourceSchema, targetSchema));
            // counted, not collected: a third copy of 50,000 tables' keys did not fit a 256 MB heap
            int objects = sourceSchema.objects().size() + (int) targetSchema.objects().keySet().stream()
                    .filter(k -> !sourceSchema.objects().containsKey(k)).count();
            if (!settings.compareData()) {
                return new Outcome(out, objects, 0, 0);
            }
            DataComparison.Outcome data = new DataComparison(database, settings.jobs())
                    .compare(sourceSchema, targetSchema, source, target);
            out.addAll(data.differences());
            return new Outcome(out, objects, data.tables(), data.rows());
        }
    }
}
