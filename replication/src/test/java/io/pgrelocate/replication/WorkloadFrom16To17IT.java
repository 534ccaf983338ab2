package io.pgrelocate.replication;

import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A concurrent workload migrated continuously from PostgreSQL 16 into 17. */
class WorkloadFrom16To17IT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(16, 17);

    @Test
    void endsIdenticalAfterCutover() {
        WorkloadScenario.run(pg);
    }
}
