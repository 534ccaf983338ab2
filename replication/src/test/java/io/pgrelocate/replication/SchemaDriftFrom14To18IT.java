package io.pgrelocate.replication;

import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Drift that names, types and order cannot show, from the oldest supported source into the newest target. */
class SchemaDriftFrom14To18IT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(14, 18);

    // guards the last column dropped and added back under its name and type, 14 into 18
    @Test
    void lastColumnDroppedAndAddedBackFailsTheCutoverAndItsResume() {
        ColumnReAdded.cutoverFailsAndAResumeFailsAgain(pg);
    }

    // guards the watch on a table nobody writes after the change, 14 into 18
    @Test
    void lastColumnDroppedAndAddedBackStopsTheStreamWithoutAWrite() {
        ColumnReAdded.streamingStopsWithoutAWriteToTheTable(pg);
    }

    // guards against false alarms from rewrites that keep attnums, 14 into 18
    @Test
    void rewritesThatKeepColumnNumbersDoNotStopTheRun() {
        ColumnReAdded.rewritesThatKeepAttnumsDoNotStopTheRun(pg);
    }
}
