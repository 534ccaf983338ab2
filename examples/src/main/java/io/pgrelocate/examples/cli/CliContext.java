package io.pgrelocate.examples.cli;

import java.util.Map;

/**
 * What every command gets besides its options: where to write, and the environment endpoints are read
 * with ({@code PGHOST}, {@code PGPORT}, {@code PGUSER}, {@code PGDATABASE}, {@code PGPASSWORD}, ... as psql
 * reads them).
 */
record CliContext(Console console, Map<String, String> env) {
}
