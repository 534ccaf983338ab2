package io.pgrelocate.dump.internal.schema;

import java.util.List;

/**
 * Everything the engine needs to recreate one database's schema, read from the source catalogs.
 *
 * @param preData   statements before the data, in dependency order (types, tables without their indexes
 *                  and constraints, sequences, functions, views...), in levels that run one after the other
 * @param postData  statements after the data, in waves: the statements of one wave are independent of each
 *                  other and may run in parallel (such as index builds); waves run in order
 * @param tables    the tables whose rows are copied
 * @param configTables the extensions' configuration tables whose filtered rows are added to those CREATE EXTENSION
 *                  made on the target, after the tables, in foreign-key order
 * @param sequences the sequences whose values are set after the data
 * @param dataTasks other data to copy under the snapshot (large objects...)
 * @param warnings  every source object that will not be reproduced, named, with why; reported before the copy
 */
public record DatabaseSchema(List<PreDataLevel> preData, List<List<DdlStatement>> postData, List<TableData> tables,
                             List<ConfigTable> configTables, List<SequenceData> sequences, List<DataTask> dataTasks,
                             List<String> warnings) {
    public DatabaseSchema {
        preData = List.copyOf(preData);
        postData = postData.stream().map(List::copyOf).toList();
        tables = List.copyOf(tables);
        configTables = List.copyOf(configTables);
        sequences = List.copyOf(sequences);
        dataTasks = List.copyOf(dataTasks);
        warnings = List.copyOf(warnings);
    }

    /** How many pre-data statements there are. */
    public int preDataSize() {
        return preData.stream().mapToInt(PreDataLevel::size).sum();
    }
}
