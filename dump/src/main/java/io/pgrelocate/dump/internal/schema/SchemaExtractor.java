package io.pgrelocate.dump.internal.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one database's schema from the source catalogs (no pg_dump) into a {@link DatabaseSchema}.
 * Stateless and thread-safe.
 */
public final class SchemaExtractor {
    private SchemaExtractor() {
    }

    /**
     * Reads the schema of the database {@code source} is connected to, inside {@code source}'s current
     * transaction, so that it matches the data copied under the same snapshot.
     */
    public static DatabaseSchema extract(Connection source, ExtractOptions options) throws SQLException {
        Catalog catalog = new Catalog(source, io.pgrelocate.core.spi.ClusterInspector.versionNum(source),
                options.excludedSchemas());
        List<CatalogObject> objects = new ArrayList<>();
        objects.addAll(NamespaceExtractor.schemas(catalog));
        objects.addAll(NamespaceExtractor.extensions(catalog));
        objects.addAll(TypeExtractor.all(catalog));
        objects.addAll(FunctionExtractor.functions(catalog));
        objects.addAll(SequenceExtractor.sequences(catalog));
        TableExtractor.Result tables = TableExtractor.tables(catalog, BinaryCopyCheck.load(catalog));
        objects.addAll(tables.objects());
        objects.addAll(ViewExtractor.views(catalog));

        List<String> warnings = new ArrayList<>();
        List<String> cycles = new ArrayList<>();
        List<DdlStatement> preData = new ArrayList<>();
        List<String> order = new ArrayList<>();
        for (CatalogObject o : DependencySorter.sort(catalog, objects, cycles)) {
            o.sql().forEach(sql -> preData.add(new DdlStatement(o.name(), sql)));
            order.add(o.name());
        }
        cycles.forEach(c -> warnings.add(c + " is part of a dependency cycle; it is created in kind order and may fail"));
        preData.addAll(SequenceExtractor.ownedBy(catalog));
        FunctionExtractor.unsupported(catalog).forEach(a -> warnings.add(a + " is not copied yet"));

        List<List<DdlStatement>> postData = new ArrayList<>();
        postData.add(PostDataExtractor.indexes(catalog));
        postData.add(PostDataExtractor.keys(catalog));
        postData.addAll(PostDataExtractor.foreignKeys(catalog));
        PostDataExtractor.Triggers triggers = PostDataExtractor.triggersAndRules(catalog);
        postData.add(triggers.create());
        postData.add(triggers.state());
        // one wave each, in dependency order: a materialized view may read another
        List<DdlStatement> refreshes = new ArrayList<>(ViewExtractor.refreshes(catalog));
        refreshes.sort(java.util.Comparator.comparingInt(r -> order.indexOf(r.object().replace("data of ", ""))));
        refreshes.forEach(r -> postData.add(List.of(r)));
        postData.add(CommentExtractor.comments(catalog));
        postData.removeIf(List::isEmpty);

        List<SequenceData> sequences = catalog.query("SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n "
                + "ON n.oid = c.relnamespace WHERE c.relkind = 'S' AND " + Catalog.userSchema("c.relnamespace")
                + " AND " + Catalog.notExtensionMember("pg_class", "c.oid") + " ORDER BY 1, 2",
                rs -> new SequenceData(rs.getString(1), rs.getString(2)));
        return new DatabaseSchema(preData, postData, tables.data(), sequences, List.of(), warnings);
    }
}
