package io.pgrelocate.dump;

import io.pgrelocate.core.DatabaseSelection;
import io.pgrelocate.core.Endpoint;
import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.core.spi.PgConnector;
import io.pgrelocate.dump.internal.verify.VerifyRun;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Compares source and target after a migration: every schema object, read on each server from its own
 * catalogs, and every table's row count and content checksum, computed on each server. Immutable and
 * thread-safe; each {@link #verify()} opens and closes its own connections.
 *
 * <pre>{@code
 * VerifyResult result = Verifier.builder()
 *         .source(Endpoint.parse("postgresql://app@old-host/postgres"))
 *         .target(Endpoint.parse("postgresql://admin@new-host/postgres"))
 *         .ignoreDatabases("scratch")
 *         .jobs(4)
 *         .build()
 *         .verify();
 * if (!result.matches()) {
 *     System.out.println(result.toText());
 * }
 * }</pre>
 *
 * <p>The source is read as it is when compared: compare after writes to it have stopped (after a dump, or
 * after a cutover), or differences will show rows written since.
 */
public final class Verifier {
    /** The state schema a migration uses unless told otherwise. */
    public static final String DEFAULT_STATE_SCHEMA = "pgrelocate";

    private final Endpoint source;
    private final Endpoint target;
    private final DatabaseSelection databases;
    private final int jobs;
    private final String stateSchema;
    private final boolean compareData;

    private Verifier(Builder b) {
        this.source = b.source;
        this.target = b.target;
        this.databases = new DatabaseSelection(List.copyOf(new LinkedHashSet<>(b.included)), b.ignored);
        this.jobs = b.jobs;
        this.stateSchema = b.stateSchema;
        this.compareData = b.compareData;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs the comparison. Differences are returned, not thrown.
     *
     * @throws PgRelocateException when a server cannot be reached or read, or a selected database does not
     *                             exist on the source ({@link ErrorCode#DATABASE_NOT_FOUND})
     */
    public VerifyResult verify() {
        return new VerifyRun(new PgConnector(source, "source"), new PgConnector(target, "target"), databases, jobs,
                stateSchema, compareData).run();
    }

    /** Configures a {@link Verifier}. Not thread-safe; {@link #build()} reports every problem at once. */
    public static final class Builder {
        private Endpoint source;
        private Endpoint target;
        private final List<String> included = new ArrayList<>();
        private final Set<String> ignored = new LinkedHashSet<>();
        private int jobs = 2;
        private String stateSchema = DEFAULT_STATE_SCHEMA;
        private boolean compareData = true;

        private Builder() {
        }

        /** Whether rows and sequences are compared too; false compares the schema only (fast). Default true. */
        public Builder compareData(boolean value) {
            this.compareData = value;
            return this;
        }

        public Builder source(Endpoint endpoint) {
            this.source = endpoint;
            return this;
        }

        /** The source as a libpq URI or pgjdbc URL; see {@link Endpoint#parse(String)}. */
        public Builder source(String uri) {
            return source(Endpoint.parse(uri));
        }

        public Builder target(Endpoint endpoint) {
            this.target = endpoint;
            return this;
        }

        public Builder target(String uri) {
            return target(Endpoint.parse(uri));
        }

        /** Compare exactly these databases (by default: every non-template database of the source). */
        public Builder databases(String... names) {
            included.addAll(Arrays.asList(names));
            return this;
        }

        public Builder databases(List<String> names) {
            included.addAll(names);
            return this;
        }

        /** Leave these databases out. */
        public Builder ignoreDatabases(String... names) {
            ignored.addAll(Arrays.asList(names));
            return this;
        }

        public Builder ignoreDatabases(List<String> names) {
            ignored.addAll(names);
            return this;
        }

        /** Tables checksummed at once: connections per server. Default 2. */
        public Builder jobs(int value) {
            this.jobs = value;
            return this;
        }

        /** pgrelocate's state schema on the target, which is not compared. Default {@code pgrelocate}. */
        public Builder stateSchema(String value) {
            this.stateSchema = value;
            return this;
        }

        /**
         * @throws PgRelocateException {@link ErrorCode#INVALID_CONFIG}, naming every problem found
         */
        public Verifier build() {
            List<String> problems = new ArrayList<>();
            if (source == null) {
                problems.add("source is not set: call source(\"postgresql://user@host/db\")");
            }
            if (target == null) {
                problems.add("target is not set: call target(\"postgresql://user@host/db\")");
            }
            if (jobs < 1 || jobs > 64) {
                problems.add("jobs is " + jobs + ": use 1 to 64");
            }
            if (stateSchema == null || stateSchema.isBlank() || stateSchema.length() > 63) {
                problems.add("stateSchema must be a name of 1 to 63 characters");
            }
            for (String name : included) {
                if (ignored.contains(name)) {
                    problems.add("database '" + name + "' is both selected and ignored");
                }
            }
            if (!problems.isEmpty()) {
                throw new PgRelocateException(ErrorCode.INVALID_CONFIG,
                        "invalid verify configuration: " + String.join("; ", problems));
            }
            return new Verifier(this);
        }
    }
}
