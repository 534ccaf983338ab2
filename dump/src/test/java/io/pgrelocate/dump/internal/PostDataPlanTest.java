package io.pgrelocate.dump.internal;

import io.pgrelocate.dump.internal.schema.DdlStatement;
import io.pgrelocate.dump.internal.schema.TableData;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PostDataPlanTest {
    private static final TableData A = new TableData("public", "a", List.of("id"), 10, 8192, true);
    private static final TableData B = new TableData("public", "b", List.of("id"), 10, 8192, true);

    private static DdlStatement of(String object, TableData t) {
        return new DdlStatement(object, "-- " + object, t == null ? null : t.qualified());
    }

    // guards the overlap of copy and post-data: a table's own statements leave the waves, its indexes first (in
    // parallel), its key and ANALYZE after them in wave order; what spans tables or is not a copied table's stays
    @Test
    void takesEachCopiedTablesOwnStatementsOutOfTheWavesInOrder() {
        DdlStatement aIdx1 = of("index a_1", A);
        DdlStatement aIdx2 = of("index a_2", A);
        DdlStatement parentIdx = of("index parent_idx", null);
        DdlStatement notCopied = new DdlStatement("index mv_idx", "--", "\"public\".\"mv\"");
        DdlStatement aKey = of("constraint a_pkey", A);
        DdlStatement bKey = of("constraint b_excl", B);
        DdlStatement fk = of("constraint a_b_fk", null);
        DdlStatement aAnalyze = of("statistics of a", A);
        DdlStatement bAnalyze = of("statistics of b", B);
        List<List<DdlStatement>> waves = new ArrayList<>(List.of(List.of(aIdx1, parentIdx, aIdx2, notCopied),
                List.of(aKey, bKey), List.of(fk), List.of(aAnalyze, bAnalyze)));

        Map<String, PostDataPlan.TableWork> byTable = PostDataPlan.takePerTable(waves, List.of(A, B));

        assertThat(waves).containsExactly(List.of(parentIdx, notCopied), List.of(fk));
        assertThat(byTable.get(A.qualified()).first()).containsExactly(aIdx1, aIdx2);
        assertThat(byTable.get(A.qualified()).then()).containsExactly(aKey, aAnalyze);
        // b has no index: its first wave is its key's, which its ANALYZE follows
        assertThat(byTable.get(B.qualified()).first()).containsExactly(bKey);
        assertThat(byTable.get(B.qualified()).then()).containsExactly(bAnalyze);
        assertThat(PostDataPlan.size(byTable)).isEqualTo(6);
    }

    // guards the post-data sessions' sizing: a share of shared_buffers per job unless the server allows more,
    // bounded; parallel build workers shared by the 2 x jobs sessions that may build at once
    @Test
    void sizesMaintenanceFromTheTargetsSettingsAndJobs() {
        TargetSession.Maintenance bench = TargetSession.maintenance(512 << 10, 512 << 10, 2, 8, 2);
        assertThat(bench).isEqualTo(new TargetSession.Maintenance(512 << 10, 2));
        TargetSession.Maintenance defaults = TargetSession.maintenance(64 << 10, 128 << 10, 2, 8, 4);
        assertThat(defaults).isEqualTo(new TargetSession.Maintenance(64 << 10, 2));
        TargetSession.Maintenance big = TargetSession.maintenance(64 << 10, 32L << 20, 2, 32, 2);
        assertThat(big).isEqualTo(new TargetSession.Maintenance(2L << 20, 8));
        TargetSession.Maintenance mid = TargetSession.maintenance(64 << 10, 4L << 20, 2, 16, 1);
        assertThat(mid).isEqualTo(new TargetSession.Maintenance(2L << 20, 8));
        assertThat(TargetSession.maintenance(64 << 10, 1L << 20, 1, 8, 2))
                .isEqualTo(new TargetSession.Maintenance(512 << 10, 2));
    }
}
