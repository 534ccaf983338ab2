/** Real PostgreSQL servers for tests, and helpers to compare what they hold. */
module io.pgrelocate.testkit {
    requires transitive io.pgrelocate.core;
    requires transitive org.junit.jupiter.api;
    requires org.assertj.core;

    exports io.pgrelocate.testkit;
}
