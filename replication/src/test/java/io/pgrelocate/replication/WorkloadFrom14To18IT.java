package io.pgrelocate.replication;

import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A concurrent workload migrated continuously from PostgreSQL 14 (old slot syntax) into 18. */
class WorkloadFrom14To18IT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(14, 18);

    @Test
    void endsIdenticalAfterCutover() {
        WorkloadScenario.run(pg);
    }
}
