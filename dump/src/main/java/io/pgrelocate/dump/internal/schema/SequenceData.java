package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.Sql;

/** A sequence whose value is carried to the target after the data. */
public record SequenceData(String schema, String name) {
    public String qualified() {
        return Sql.qualified(schema, name);
    }
}
