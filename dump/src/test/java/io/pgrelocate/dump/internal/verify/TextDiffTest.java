package io.pgrelocate.dump.internal.verify;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TextDiffTest {
    @Test
    void showsShortValuesWholeOnOneLine() {
        assertThat(TextDiff.describe("a\nb", null)).isEqualTo("source \"a\\nb\", target (none)");
    }

    @Test
    void showsLongValuesAroundTheirFirstDifference() {
        String common = "x".repeat(300);
        String d = TextDiff.describe(common + "SELECT 1" + "y".repeat(200), common + "SELECT 2" + "y".repeat(200));
        assertThat(d).startsWith("from character 308: ").contains("SELECT 1").contains("SELECT 2")
                .hasSizeLessThan(250);
    }

    // guards the 16 deparser change: 14 prints "orders.id", 16 prints "id" for a single-relation view
    @Test
    void deparsedQueriesDifferingOnlyByQualifiersAreTheSameAcross16() {
        String v14 = " SELECT orders.customer_id,\n    sum(orders.total) AS total\n   FROM app.orders\n"
                + "  GROUP BY orders.customer_id;";
        String v17 = " SELECT customer_id,\n    sum(total) AS total\n   FROM app.orders\n  GROUP BY customer_id;";
        assertThat(Pg16Deparse.straddles(14, 17)).isTrue();
        assertThat(Pg16Deparse.straddles(16, 18)).isFalse();
        assertThat(Pg16Deparse.sameQuery("view", "definition", v14, v17)).isTrue();
        assertThat(Pg16Deparse.sameQuery("view", "definition", v14, v17.replace("sum(", "max("))).isFalse();
        assertThat(Pg16Deparse.sameQuery("view", "definition", "SELECT 0.5 AS x", "SELECT 5 AS x")).isFalse();
        assertThat(Pg16Deparse.sameQuery("function", "definition", v14, v17)).as("not a BEGIN ATOMIC body")
                .isFalse();
    }
}
