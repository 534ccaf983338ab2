package io.pgrelocate.dump.internal.schema;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CatalogNamesTest {
    // issue 12: an operator name is spliced raw into OPERATOR(...), so it may hold operator characters only
    @Test
    void operatorNamesAreRenderedWithTheirSchemaQuotedAndRefusedWhenTheyHoldAnythingButOperatorCharacters() {
        assertThat(CatalogNames.operator("Sch\"ema", "<->")).isEqualTo("\"Sch\"\"ema\".<->");
        assertThat(CatalogNames.operator("public", "+-*/<>=~!@#%^&|`?")).endsWith(".+-*/<>=~!@#%^&|`?");
        for (String hostile : new String[] {"=) ; DROP TABLE t; --", "a", "<\n>", "\"<\"", "", "<'>", "<;>"}) {
            assertThatThrownBy(() -> CatalogNames.operator("public", hostile)).as(hostile)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> CatalogNames.operator("public", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rawPairsAreAskedForAsTextArrays() {
        assertThat(CatalogNames.pair("n.nspname", "c.relname")).isEqualTo("ARRAY[n.nspname::text, c.relname::text]");
    }
}
