package io.pgrelocate.core.spi;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

// guards the version read without a round trip: it must equal what server_version_num says, or give way to the query
class ClusterInspectorVersionTest {
    @Test
    void readsServerVersionNumFromTheReportedServerVersion() {
        assertThat(ClusterInspector.parseVersionNum("15.13 (Debian 15.13-1.pgdg120+1)")).isEqualTo(150013);
        assertThat(ClusterInspector.parseVersionNum("17.5")).isEqualTo(170005);
        assertThat(ClusterInspector.parseVersionNum("18beta1")).isEqualTo(180000);
        assertThat(ClusterInspector.parseVersionNum("16devel")).isEqualTo(160000);
    }

    @Test
    void leavesOlderOrUnknownFormsToTheQuery() {
        assertThat(ClusterInspector.parseVersionNum("9.6.24")).isZero();
        assertThat(ClusterInspector.parseVersionNum(null)).isZero();
        assertThat(ClusterInspector.parseVersionNum("EnterpriseDB 15")).isZero();
    }
}
