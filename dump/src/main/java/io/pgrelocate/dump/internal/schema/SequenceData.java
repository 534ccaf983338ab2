package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.QualifiedName;

/** A sequence whose value is carried to the target after the data. */
public record SequenceData(String schema, String name) {
    public QualifiedName qualified() {
        return new QualifiedName(schema, name);
    }
}
