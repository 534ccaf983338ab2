package io.pgrelocate.replication;

import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The schema-change scenario from the oldest supported source into the newest target. */
class DdlReplicationFrom14To18IT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(14, 18);

    // guards issue 9 across majors: capture on 14, replay on 18
    @Test
    void schemaChangesUnderLoadAreReplayedFrom14Into18() {
        DdlScenario.run(pg);
    }
}
