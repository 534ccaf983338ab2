package io.pgrelocate.dump.internal.schema;

import java.sql.Connection;
import java.sql.SQLException;
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
        return extract(source, CatalogSessions.NONE, options);
    }

    /**
     * As {@link #extract(Connection, ExtractOptions)}, with the catalog queries spread over {@code source} and the
     * {@code extra} sessions at the same snapshot, run side by side; the result is the one a single session reads.
     */
    public static DatabaseSchema extract(Connection source, CatalogSessions extra, ExtractOptions options)
            throws SQLException {
        int version = io.pgrelocate.core.spi.ClusterInspector.versionNum(source);
        CatalogReads reads = new CatalogReads(version, options);
        PreData pre = PreData.register(reads);
        PostData post = PostData.register(reads, extra.count() + 1);
        // an extension's sequence only when it marked it a configuration sequence: pg_dump sets those too
        var sequenceData = reads.add(c -> c.query("SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n "
                + "ON n.oid = c.relnamespace WHERE c.relkind = 'S' AND " + Catalog.userSchema("c.relnamespace")
                + " AND (" + Catalog.notExtensionMember("pg_class", "c.oid") + " OR c.oid IN (SELECT unnest(x.extconfig) "
                + "FROM pg_extension x)) ORDER BY 1, 2",
                rs -> new SequenceData(rs.getString(1), rs.getString(2))));
        var configTables = reads.add(ConfigTableExtractor::configTables);
        var largeObjects = reads.add(c -> !c.query("SELECT 1 FROM pg_largeobject_metadata LIMIT 1", rs -> 1).isEmpty());
        reads.run(source, extra);

        Catalog catalog = new Catalog(source, version, options);
        List<CatalogObject> objects = pre.objects(reads, catalog);
        TableExtractor.Result tables = pre.tables(reads, catalog);
        objects.addAll(tables.objects());
        objects.addAll(reads.take(pre.views, catalog));
        objects.addAll(reads.take(pre.statistics, catalog));
        reads.take(pre.unsupported, catalog);

        List<String> cycles = new ArrayList<>();
        List<PreDataLevel> preData = new ArrayList<>();
        List<String> order = new ArrayList<>();
        for (DependencySorter.ObjectLevel level : DependencySorter.sort(objects, reads.take(pre.edges, catalog), cycles)) {
            preData.add(new PreDataLevel(level.parallel(), level.objects().stream().map(o -> o.sql().stream()
                    .map(sql -> new DdlStatement(o.name(), sql)).toList()).toList()));
            level.objects().forEach(o -> order.add(o.name()));
        }
        cycles.forEach(c -> catalog.warn(c + " is part of a dependency cycle; it is created in kind order and may fail"));
        List<DdlStatement> ownedBy = reads.take(pre.ownedBy, catalog);
        if (!ownedBy.isEmpty()) {
            preData.add(new PreDataLevel(false, List.of(ownedBy)));
        }

        List<List<DdlStatement>> postData = post.waves(reads, catalog, order);
        List<SequenceData> sequences = reads.take(sequenceData, catalog);
        List<ConfigTable> config = reads.take(configTables, catalog);
        boolean hasLargeObjects = reads.take(largeObjects, catalog);
        return new DatabaseSchema(preData, postData, tables.data(), config, sequences,
                hasLargeObjects ? List.of(new LargeObjectCopy()) : List.of(), catalog.warnings());
    }

    /** The pre-data reads; taken in this order, as the warnings of a serial read come. */
    private record PreData(List<CatalogReads.Pending<List<CatalogObject>>> kinds,
                           CatalogReads.Pending<BinaryCopyCheck> binary, CatalogReads.Pending<ColumnReader.Columns> columns,
                           CatalogReads.Pending<List<TableExtractor.Table>> tables,
                           CatalogReads.Pending<List<CatalogObject>> views,
                           CatalogReads.Pending<List<CatalogObject>> statistics, CatalogReads.Pending<Void> unsupported,
                           CatalogReads.Pending<List<DependencySorter.Edge>> edges,
                           CatalogReads.Pending<List<DdlStatement>> ownedBy) {
        static PreData register(CatalogReads r) {
            List<CatalogReads.Read<List<CatalogObject>>> kinds = List.of(NamespaceExtractor::schemas,
                    NamespaceExtractor::extensions, CollationExtractor::collations, AccessMethodExtractor::accessMethods,
                    TypeExtractor::all, BaseTypeExtractor::baseTypes, FunctionExtractor::functions,
                    AggregateExtractor::aggregates, OperatorExtractor::operators, OperatorClassExtractor::families,
                    OperatorClassExtractor::classes, CastExtractor::casts, LanguageExtractor::languages,
                    LanguageExtractor::transforms, ConversionExtractor::conversions, TextSearchExtractor::all,
                    ForeignDataExtractor::all, SequenceExtractor::sequences);
            return new PreData(kinds.stream().map(r::add).toList(), r.addHeavy(BinaryCopyCheck::load),
                    r.addHeavy(ColumnReader::read), r.addHeavy(TableExtractor::read), r.add(ViewExtractor::views),
                    r.add(StatisticsExtractor::statistics), r.addHeavy(c -> {
                        UnsupportedObjects.report(c);
                        return null;
                    }), r.addHeavy(DependencySorter::edges), r.addHeavy(SequenceExtractor::ownedBy));
        }

        List<CatalogObject> objects(CatalogReads r, Catalog into) {
            List<CatalogObject> out = new ArrayList<>();
            kinds.forEach(k -> out.addAll(r.take(k, into)));
            return out;
        }

        TableExtractor.Result tables(CatalogReads r, Catalog into) {
            BinaryCopyCheck check = r.take(binary, into);
            ColumnReader.Columns cols = r.take(columns, into);
            return TableExtractor.tables(r.take(tables, into), cols, check, into.options().targetVersionNum());
        }
    }

    /** The post-data reads, registered before any runs and taken in the order the waves come. */
    private record PostData(List<CatalogReads.Pending<List<DdlStatement>>> indexes,
                            CatalogReads.Pending<List<DdlStatement>> keys,
                            CatalogReads.Pending<List<List<DdlStatement>>> attachments,
                            CatalogReads.Pending<List<List<DdlStatement>>> foreignKeys,
                            CatalogReads.Pending<List<DdlStatement>> details,
                            CatalogReads.Pending<PostDataExtractor.Triggers> triggers,
                            CatalogReads.Pending<List<DdlStatement>> policies,
                            CatalogReads.Pending<List<DdlStatement>> refreshes,
                            CatalogReads.Pending<PublicationExtractor.Publications> publications,
                            CatalogReads.Pending<List<DdlStatement>> comments,
                            CatalogReads.Pending<List<DdlStatement>> labels,
                            CatalogReads.Pending<List<DdlStatement>> owners,
                            CatalogReads.Pending<List<DdlStatement>> privileges,
                            CatalogReads.Pending<List<DdlStatement>> initPrivileges,
                            CatalogReads.Pending<List<DdlStatement>> defaultPrivileges,
                            CatalogReads.Pending<List<DdlStatement>> settings,
                            CatalogReads.Pending<List<List<DdlStatement>>> eventTriggers) {
        /** @param sessions how many sessions read: the index definitions are split over them */
        static PostData register(CatalogReads r, int sessions) {
            List<CatalogReads.Pending<List<DdlStatement>>> indexParts = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                int part = i;
                indexParts.add(r.addHeavy(c -> PostDataExtractor.indexPart(c, part, sessions)));
            }
            return new PostData(indexParts, r.addHeavy(PostDataExtractor::keys),
                    r.add(PostDataExtractor::indexAttachments), r.addHeavy(PostDataExtractor::foreignKeys),
                    r.addHeavy(RelationDetailsExtractor::details), r.addHeavy(PostDataExtractor::triggersAndRules),
                    r.add(PolicyExtractor::policies), r.add(ViewExtractor::refreshes),
                    r.add(PublicationExtractor::publications), r.addHeavy(CommentExtractor::comments),
                    r.add(CommentExtractor::securityLabels), r.addHeavy(OwnerExtractor::owners),
                    r.addHeavy(PrivilegeExtractor::privileges), r.add(InitPrivilegeExtractor::privileges),
                    r.add(DefaultPrivilegeExtractor::defaultPrivileges), r.add(DatabaseSettingsExtractor::settings),
                    r.add(EventTriggerExtractor::eventTriggers));
        }

        /** The waves after the data, in order; {@code order} is the pre-data order, by object name. */
        List<List<DdlStatement>> waves(CatalogReads r, Catalog into, List<String> order) {
            List<List<DdlStatement>> postData = new ArrayList<>();
            postData.add(PostDataExtractor.indexes(indexes.stream().map(p -> r.take(p, into)).toList()));
            postData.add(r.take(keys, into));
            postData.addAll(r.take(attachments, into));
            postData.addAll(r.take(foreignKeys, into));
            postData.add(r.take(details, into));
            PostDataExtractor.Triggers t = r.take(triggers, into);
            postData.add(t.create());
            postData.add(t.state());
            postData.add(t.cloneStates());
            postData.add(r.take(policies, into));
            // one wave each, in dependency order: a materialized view may read another
            List<DdlStatement> refresh = new ArrayList<>(r.take(refreshes, into));
            refresh.sort(Comparator.comparingInt(d -> order.indexOf(d.object().replace("data of ", ""))));
            refresh.forEach(d -> postData.add(List.of(d)));
            // after the tables are complete and before they change owner (adding a table to one needs its ownership)
            PublicationExtractor.Publications p = r.take(publications, into);
            postData.add(p.create());
            List<DdlStatement> commentsAndLabels = new ArrayList<>(r.take(comments, into));
            commentsAndLabels.addAll(r.take(labels, into));
            postData.add(commentsAndLabels);
            postData.add(r.take(owners, into));
            postData.addAll(PrivilegeExtractor.waves(r.take(privileges, into)));
            postData.add(r.take(initPrivileges, into));
            // a non-superuser may give a publication only to a role with CREATE on the database, granted just before
            postData.add(p.owners());
            postData.add(r.take(defaultPrivileges, into));
            postData.add(r.take(settings, into));
            // last, so that they do not fire on the replay itself; login triggers after the others
            postData.addAll(r.take(eventTriggers, into));
            postData.removeIf(List::isEmpty);
            return postData;
        }
    }
}
