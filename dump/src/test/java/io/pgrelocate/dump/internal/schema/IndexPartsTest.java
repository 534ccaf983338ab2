package io.pgrelocate.dump.internal.schema;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// guards the index read split over sessions: each index's definition comes from the part that deparsed it, in order
class IndexPartsTest {
    private static DdlStatement row(String name, String sql) {
        return new DdlStatement("index public." + name, sql, "\"public\".\"t\"");
    }

    @Test
    void takesEachDefinitionFromThePartThatDeparsedIt() {
        List<DdlStatement> merged = PostDataExtractor.indexes(List.of(
                List.of(row("a", "CREATE INDEX a"), row("b", null), row("c", null)),
                List.of(row("a", null), row("b", "CREATE INDEX b"), row("c", null)),
                List.of(row("a", null), row("b", null), row("c", "CREATE INDEX c"))));
        assertThat(merged).containsExactly(row("a", "CREATE INDEX a"), row("b", "CREATE INDEX b"),
                row("c", "CREATE INDEX c"));
    }

    @Test
    void oneSessionReadsThemAllAsTheyAre() {
        List<DdlStatement> one = List.of(row("a", "CREATE INDEX a"), row("b", "CREATE INDEX b"));
        assertThat(PostDataExtractor.indexes(List.of(one))).isEqualTo(one);
    }

    @Test
    void partsThatDisagreeFailTheRead() {
        assertThatThrownBy(() -> PostDataExtractor.indexes(List.of(List.of(row("a", "CREATE INDEX a")),
                List.of(row("b", null))))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> PostDataExtractor.indexes(List.of(List.of(row("a", "CREATE INDEX a")),
                List.of()))).isInstanceOf(IllegalStateException.class);
    }
}
