package com.example.orders;

import io.pgrelocate.testkit.DataCompare;
import io.pgrelocate.testkit.PgPairExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MainTest {
    @RegisterExtension
    static final PgPairExtension pg = PgPairExtension.pair(17, 17);

    @Test
    void mainMovesBothDatabases() {
        String dumped = pg.newDatabase("archive");
        String streamed = pg.newDatabase("orders");
        for (String db : new String[] {dumped, streamed}) {
            pg.source().execute(db, "CREATE TABLE orders (id bigserial PRIMARY KEY, total numeric)",
                    "INSERT INTO orders (total) SELECT g * 1.5 FROM generate_series(1, 3000) g");
        }

        Main.main(new String[] {pg.source().uri("postgres"), pg.target().uri("postgres"), dumped, streamed});

        DataCompare.assertSameData(pg.source(), pg.target(), dumped);
        DataCompare.assertSameData(pg.source(), pg.target(), streamed);
        assertEquals(3000L, pg.target().queryLong(streamed, "SELECT count(*) FROM orders"));
    }
}
