package io.pgrelocate.dump.internal.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads one database's schema from the source catalogs (no pg_dump) into a {@link DatabaseSchema}: pre-data
 * objects in pg_depend order, post-data in waves, the data to copy, and a warning naming every object that
 * will not be reproduced. Stateless and thread-safe.
 */
public final class SchemaExtractor {
    private SchemaExtractor() {
    }

    /**
     * Reads the schema of the database {@code source} is connected to, inside {@code source}'s current
     * transaction, so that it matches the data copied under the same snapshot. Names are read with only
     * pg_catalog on the search path, so that every user object in a definition comes out schema-qualified.
     */
    public static DatabaseSchema extract(Connection source, ExtractOptions options) throws SQLException {
        try (Statement st = source.createStatement()) {
            st.execute("SET LOCAL search_path = pg_catalog");
        }
        Catalog catalog = new Catalog(source, io.pgrelocate.core.spi.ClusterInspector.versionNum(source), options);
        List<CatalogObject> objects = new ArrayList<>();
        objects.addAll(NamespaceExtractor.schemas(catalog));
        objects.addAll(NamespaceExtractor.extensions(catalog));
        objects.addAll(CollationExtractor.collations(catalog));
        objects.addAll(AccessMethodExtractor.accessMethods(catalog));
        objects.addAll(TypeExtractor.all(catalog));
        objects.addAll(BaseTypeExtractor.baseTypes(catalog));
        objects.addAll(FunctionExtractor.functions(catalog));
        objects.addAll(AggregateExtractor.aggregates(catalog));
        objects.addAll(OperatorExtractor.operators(catalog));
        objects.addAll(OperatorClassExtractor.families(catalog));
        objects.addAll(OperatorClassExtractor.classes(catalog));
        objects.addAll(CastExtractor.casts(catalog));
        objects.addAll(LanguageExtractor.languages(catalog));
        objects.addAll(LanguageExtractor.transforms(catalog));
        objects.addAll(ConversionExtractor.conversions(catalog));
        objects.addAll(TextSearchExtractor.all(catalog));
        objects.addAll(ForeignDataExtractor.all(catalog));
        objects.addAll(SequenceExtractor.sequences(catalog));
        TableExtractor.Result tables = TableExtractor.tables(catalog, BinaryCopyCheck.load(catalog));
        objects.addAll(tables.objects());
        objects.addAll(ViewExtractor.views(catalog));
        objects.addAll(StatisticsExtractor.statistics(catalog));
        UnsupportedObjects.report(catalog);

        List<String> cycles = new ArrayList<>();
        List<PreDataLevel> preData = new ArrayList<>();
        List<String> order = new ArrayList<>();
        for (DependencySorter.ObjectLevel level : DependencySorter.sort(catalog, objects, cycles)) {
            preData.add(new PreDataLevel(level.parallel(), level.objects().stream().map(o -> o.sql().stream()
                    .map(sql -> new DdlStatement(o.name(), sql)).toList()).toList()));
            level.objects().forEach(o -> order.add(o.name()));
        }
        cycles.forEach(c -> catalog.warn(c + " is part of a dependency cycle; it is created in kind order and may fail"));
        List<DdlStatement> ownedBy = SequenceExtractor.ownedBy(catalog);
        if (!ownedBy.isEmpty()) {
            preData.add(new PreDataLevel(false, List.of(ownedBy)));
        }

        List<List<DdlStatement>> postData = postData(catalog, order);
        List<SequenceData> sequences = catalog.query("SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n "
                + "ON n.oid = c.relnamespace WHERE c.relkind = 'S' AND " + Catalog.userSchema("c.relnamespace")
                + " AND " + Catalog.notExtensionMember("pg_class", "c.oid") + " ORDER BY 1, 2",
                rs -> new SequenceData(rs.getString(1), rs.getString(2)));
        boolean largeObjects = !catalog.query("SELECT 1 FROM pg_largeobject_metadata LIMIT 1", rs -> 1).isEmpty();
        return new DatabaseSchema(preData, postData, tables.data(), sequences,
                largeObjects ? List.of(new LargeObjectCopy()) : List.of(), catalog.warnings());
    }

    /** The waves after the data, in order; {@code order} is the pre-data order, by object name. */
    private static List<List<DdlStatement>> postData(Catalog catalog, List<String> order) throws SQLException {
        List<List<DdlStatement>> postData = new ArrayList<>();
        postData.add(PostDataExtractor.indexes(catalog));
        postData.add(PostDataExtractor.keys(catalog));
        postData.addAll(PostDataExtractor.indexAttachments(catalog));
        postData.addAll(PostDataExtractor.foreignKeys(catalog));
        postData.add(RelationDetailsExtractor.details(catalog));
        PostDataExtractor.Triggers triggers = PostDataExtractor.triggersAndRules(catalog);
        postData.add(triggers.create());
        postData.add(triggers.state());
        postData.add(triggers.cloneStates());
        postData.add(PolicyExtractor.policies(catalog));
        // one wave each, in dependency order: a materialized view may read another
        List<DdlStatement> refreshes = new ArrayList<>(ViewExtractor.refreshes(catalog));
        refreshes.sort(Comparator.comparingInt(r -> order.indexOf(r.object().replace("data of ", ""))));
        refreshes.forEach(r -> postData.add(List.of(r)));
        // after the tables are complete and before they change owner (adding a table to one needs its ownership)
        PublicationExtractor.Publications publications = PublicationExtractor.publications(catalog);
        postData.add(publications.create());
        List<DdlStatement> labels = new ArrayList<>(CommentExtractor.comments(catalog));
        labels.addAll(CommentExtractor.securityLabels(catalog));
        postData.add(labels);
        postData.add(OwnerExtractor.owners(catalog));
        postData.addAll(PrivilegeExtractor.waves(PrivilegeExtractor.privileges(catalog)));
        postData.add(InitPrivilegeExtractor.privileges(catalog));
        // a non-superuser may give a publication only to a role with CREATE on the database, granted just before
        postData.add(publications.owners());
        postData.add(DefaultPrivilegeExtractor.defaultPrivileges(catalog));
        postData.add(DatabaseSettingsExtractor.settings(catalog));
        // last, so that they do not fire on the replay itself
        postData.add(EventTriggerExtractor.eventTriggers(catalog));
        postData.removeIf(List::isEmpty);
        return postData;
    }
}
