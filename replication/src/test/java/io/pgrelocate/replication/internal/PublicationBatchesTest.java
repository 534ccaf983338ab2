package io.pgrelocate.replication.internal;

import io.pgrelocate.core.spi.QualifiedName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PublicationBatchesTest {
    // guards "out of shared memory" from one statement publishing 50,000 tables at default lock settings
    @Test
    void aStatementTakesAQuarterOfTheLockTableAtMostAThousandTablesAndAtLeastOne() {
        assertThat(PublicationBatches.batchSize(64L * 100)).as("default settings").isEqualTo(1000);
        assertThat(PublicationBatches.batchSize(10L * 210)).isEqualTo(525);
        assertThat(PublicationBatches.batchSize(2)).isEqualTo(1);
    }

    @Test
    void namesAreQuotedEachAfterThePrefix() {
        List<QualifiedName> tables = List.of(new QualifiedName("public", "t1"), new QualifiedName("we\"ird", "T 2"));
        assertThat(PublicationBatches.list(tables, "ONLY ")).isEqualTo("ONLY \"public\".\"t1\", ONLY \"we\"\"ird\".\"T 2\"");
        assertThat(PublicationBatches.list(tables, "")).isEqualTo("\"public\".\"t1\", \"we\"\"ird\".\"T 2\"");
    }
}
