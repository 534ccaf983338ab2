package io.pgrelocate.testcontainers;

import io.pgrelocate.core.Endpoint;
import io.pgrelocate.core.Migration;
import io.pgrelocate.core.MigrationBuilder;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.PgRelocateException;
import org.testcontainers.containers.JdbcDatabaseContainer;

import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A whole migration in one call, for upgrade tests: every non-template database of {@code source} moved
 * to {@code target}, to the end (a dump; or for a continuous migration: copy, catch up, cut over).
 *
 * <pre>{@code
 * ContainerMigration.migrate(source, target, Mode.CONTINUOUS, Duration.ofMinutes(5));
 * // now run the application's tests against target
 * }</pre>
 */
public final class ContainerMigration {
    private ContainerMigration() {
    }

    /**
     * Migrates between two started containers and returns when done.
     *
     * @throws PgRelocateException when preflight blocks, the migration fails, or it does not finish in time
     */
    public static MigrationState migrate(JdbcDatabaseContainer<?> source, JdbcDatabaseContainer<?> target,
                                         Mode mode, Duration timeout) {
        return migrate(ContainerEndpoints.of(source), ContainerEndpoints.of(target), mode, timeout,
                UnaryOperator.identity());
    }

    /**
     * As {@link #migrate(JdbcDatabaseContainer, JdbcDatabaseContainer, Mode, Duration)} between any two
     * endpoints (containers or not), with {@code options} applied to the builder (databases, jobs, accepted
     * warnings...).
     */
    public static MigrationState migrate(Endpoint source, Endpoint target, Mode mode, Duration timeout,
                                         UnaryOperator<MigrationBuilder> options) {
        MigrationBuilder builder = Migration.builder().source(source).target(target).mode(mode);
        try (Migration migration = options.apply(builder).build()) {
            MigrationHandle handle = migration.start();
            if (mode == Mode.CONTINUOUS) {
                if (!handle.awaitCaughtUp(timeout)) {
                    handle.stop(Duration.ofMinutes(1));
                    throw new PgRelocateException(io.pgrelocate.core.ErrorCode.TIMEOUT, "the continuous migration "
                            + "did not catch up within " + timeout + "; it was stopped");
                }
                handle.cutover(timeout);
            }
            return handle.await(timeout);
        }
    }
}
