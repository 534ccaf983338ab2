package io.pgrelocate.examples.cli;

import io.pgrelocate.testkit.PostgresServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's first command: the continuous demo must end with a target identical to the source. */
class DemoIT {
    @Test
    void theContinuousDemoEndsIdenticalWhileTheApplicationWrites() {
        CliIT.Run run = CliIT.cli("demo", "--jobs", "2");

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out())
                .contains("caught up; ")
                .contains("cutover completed")
                .containsPattern("shop +4 table\\(s\\), [0-9,]+ rows on the target: identical to the source")
                .containsPattern("analytics +1 table\\(s\\), [0-9,]+ rows on the target: identical to the source")
                .contains("scratch    ignored");
        assertThat(run.out() + run.err()).doesNotContain(PostgresServer.PASSWORD);
    }
}
