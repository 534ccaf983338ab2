package io.pgrelocate.dump.internal.verify;

import io.pgrelocate.dump.Difference;
import io.pgrelocate.dump.Difference.Problem;
import io.pgrelocate.dump.internal.verify.CatalogSnapshot.DataTable;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Compares the rows of every table (and populated materialized view) both servers have, and every sequence's
 * value: each table's count and checksum are computed on both servers at once, {@code jobs} tables at a time,
 * biggest first; a big table is split into block ranges ({@link BlockSlice}) checksummed side by side.
 * Tables or columns only one side has are schema differences, reported by {@link SchemaComparison}; rows are
 * compared over the columns both sides have.
 */
final class DataComparison {
    /** What was compared, for the summary. */
    record Outcome(List<Difference> differences, int tables, long rows) {
    }

    private final String database;
    private final int jobs;

    /** @param jobs sessions per server: also how many block ranges a big table is split into */
    DataComparison(String database, int jobs) {
        this.database = database;
        this.jobs = jobs;
    }

    Outcome compare(CatalogSnapshot source, CatalogSnapshot target, SidePool sourcePool, SidePool targetPool) {
        List<DataTable> tables = new ArrayList<>();
        for (DataTable s : source.tables().values()) {
            DataTable t = target.tables().get(s.ref());
            if (t != null && !s.unpopulated() && !t.unpopulated()) {
                tables.add(s);
            }
        }
        tables.sort(Comparator.comparingLong(DataTable::blocks).reversed());
        List<Pending> pending = new ArrayList<>();
        for (DataTable s : tables) {
            List<String> columns = new ArrayList<>(s.columns());
            columns.retainAll(Set.copyOf(target.tables().get(s.ref()).columns()));
            String what = "the rows of " + s.ref().identity();
            pending.add(new Pending(s.ref(), checksum(sourcePool, s, columns, what),
                    checksum(targetPool, target.tables().get(s.ref()), columns, what)));
        }
        List<Difference> out = new ArrayList<>();
        long rows = 0;
        for (Pending p : pending) {
            TableChecksum s = SidePool.join(p.source());
            TableChecksum t = SidePool.join(p.target());
            rows += s.rows();
            if (s.rows() != t.rows()) {
                out.add(new Difference(database, "table", p.table().identity(), Problem.ROW_COUNT_DIFFERS,
                        String.format(Locale.ROOT, "source %d rows, target %d rows", s.rows(), t.rows())));
            } else if (!s.sameContent(t)) {
                out.add(new Difference(database, "table", p.table().identity(), Problem.CONTENT_DIFFERS,
                        String.format(Locale.ROOT, "%d rows on each side, with different content (checksums differ)",
                                s.rows())));
            }
        }
        out.addAll(sequences(source, target, sourcePool, targetPool));
        largeObjects(sourcePool, targetPool).ifPresent(out::add);
        return new Outcome(out, tables.size(), rows);
    }

    /** The table's checksum on one server: the sum of its block slices' (one slice unless it is big). */
    private CompletableFuture<TableChecksum> checksum(SidePool pool, DataTable table, List<String> columns,
                                                      String what) {
        CompletableFuture<TableChecksum> total = CompletableFuture.completedFuture(TableChecksum.EMPTY);
        if (table.condition() != null) {
            // a configuration table's filtered rows, whole: the filter is a WHERE clause of its own
            return pool.submit(what, c -> TableChecksum.filtered(c, table.ref(), columns, table.condition()));
        }
        for (BlockSlice slice : BlockSlice.of(table.blocks(), jobs, table.heap())) {
            total = total.thenCombine(pool.submit(what, c -> TableChecksum.of(c, table.ref(), columns, slice)),
                    TableChecksum::plus);
        }
        return total;
    }

    private List<Difference> sequences(CatalogSnapshot source, CatalogSnapshot target, SidePool sourcePool,
                                       SidePool targetPool) {
        Set<TableRef> both = new LinkedHashSet<>(source.sequences());
        both.retainAll(Set.copyOf(target.sequences()));
        List<CompletableFuture<String>> futures = new ArrayList<>();
        for (TableRef seq : both) {
            String what = "the value of sequence " + seq.identity();
            futures.add(sourcePool.submit(what, c -> TableChecksum.sequenceValue(c, seq)));
            futures.add(targetPool.submit(what, c -> TableChecksum.sequenceValue(c, seq)));
        }
        List<Difference> out = new ArrayList<>();
        int i = 0;
        for (TableRef seq : both) {
            String sv = SidePool.join(futures.get(i++));
            String tv = SidePool.join(futures.get(i++));
            if (!sv.equals(tv)) {
                out.add(new Difference(database, "sequence", seq.identity(), Problem.CONTENT_DIFFERS,
                        "source " + sv + ", target " + tv));
            }
        }
        return out;
    }

    private Optional<Difference> largeObjects(SidePool sourcePool, SidePool targetPool) {
        String what = "the large objects";
        long s = SidePool.join(sourcePool.submit(what, TableChecksum::largeObjectCount));
        long t = SidePool.join(targetPool.submit(what, TableChecksum::largeObjectCount));
        if (s != t) {
            return Optional.of(new Difference(database, "large objects", "pg_largeobject",
                    Problem.ROW_COUNT_DIFFERS, String.format(Locale.ROOT, "source %d, target %d large objects", s, t)));
        }
        if (s == 0) {
            return Optional.empty();
        }
        CompletableFuture<TableChecksum> sf = sourcePool.submit(what, TableChecksum::largeObjects);
        CompletableFuture<TableChecksum> tf = targetPool.submit(what, TableChecksum::largeObjects);
        if (SidePool.join(sf).sameContent(SidePool.join(tf))) {
            return Optional.empty();
        }
        return Optional.of(new Difference(database, "large objects", "pg_largeobject",
                Problem.CONTENT_DIFFERS, s + " large objects on each side, with different OIDs or content"));
    }

    private record Pending(TableRef table, CompletableFuture<TableChecksum> source,
                           CompletableFuture<TableChecksum> target) {
    }
}
