/** Real PostgreSQL servers for tests, and helpers to compare what they hold. */
module io.pgrelocate.testkit {
    requires transitive io.pgrelocate.core;
    // optional: only PgPairExtension needs JUnit, and a test class path that uses it has JUnit already
    requires static org.junit.jupiter.api;

    exports io.pgrelocate.testkit;
}
