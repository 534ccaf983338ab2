package io.pgrelocate.dump;

import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** verify between majors: 14 into 17, where catalog output and initdb defaults differ. */
class VerifyAcrossVersionsIT {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(14, 17);

    // guards normalisation across majors: a faithful 14 -> 17 copy must not be reported as different
    @Test
    void findsAFaithfulCopyFrom14Into17Equal() {
        String kinds = pg.newDatabase("vkinds");
        String types = pg.newDatabase("vtypes");
        String props = pg.newDatabase("vprops");
        VerifySchemas.manyKinds(pg.source(), kinds);
        SampleSchemas.everyType(pg.source(), types);
        SampleSchemas.everyColumnProperty(pg.source(), props);
        // the usual hardening on 14, which 15's initdb does by itself: the public schemas must still match
        pg.source().execute(kinds, "REVOKE CREATE ON SCHEMA public FROM PUBLIC");
        VerifySchemas.migrate(pg, List.of(kinds, types, props));

        VerifyResult result = Verifier.builder().source(pg.source().endpoint("postgres"))
                .target(pg.target().endpoint("postgres")).databases(kinds, types, props).jobs(2).build().verify();

        assertThat(result.differences()).as(result.toText()).isEmpty();
        assertThat(result.databases()).containsExactly(kinds, types, props);
        assertThat(result.tablesCompared()).isEqualTo(6 + 1 + 2);
    }
}
