package io.pgrelocate.core;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * The validated, immutable configuration of one migration; built by {@link MigrationBuilder}.
 * {@link #toString()} shows endpoints without passwords.
 *
 * @param migrationId            names the migration in the state tables, slots and publications
 * @param jobs                   parallel copy workers (and index builds) per migration
 * @param maxDuration            a migration still running after this long stops by itself
 * @param fenceSourceOnCutover   whether cutover makes the source databases read-only for new transactions
 * @param stateSchema            schema on the target that holds the migration's state
 * @param keepState              keep the state schema after the migration has ended
 * @param acceptWarnings         start even when preflight reports warnings (errors always block)
 * @param allowNonEmptyTarget    allow target databases that already hold tables
 * @param setReplicaIdentityFull let a continuous migration set REPLICA IDENTITY FULL on source tables
 *                               that have no key, so their UPDATE and DELETE can be replicated
 * @param statusInterval         how often progress is written to the state tables and lag is reported
 * @param replication            fence, cutover deadline, stall detection and slot recovery of continuous mode
 * @param cutoverVerify          whether a cutover also compares every table's rows (the schema is always compared)
 * @param captureDdl             whether a continuous migration captures schema changes on the source (event
 *                               triggers, superuser only) and replays them on the target in commit order
 * @param roles                  which source roles are created on the target before the schema
 * @param threadFactory          makes every thread of the run, or null for pgrelocate's own (named
 *                               {@code pgrelocate-<id>-<purpose>-N}, not daemon)
 */
public record MigrationConfig(String migrationId, Endpoint source, Endpoint target, Mode mode,
                              DatabaseSelection databases, int jobs, Duration maxDuration, CutoverMode cutoverMode,
                              boolean fenceSourceOnCutover, String stateSchema, boolean keepState,
                              boolean acceptWarnings, boolean allowNonEmptyTarget, boolean setReplicaIdentityFull,
                              List<MigrationListener> listeners, Clock clock, Duration statusInterval,
                              ReplicationOptions replication, boolean cutoverVerify, boolean captureDdl,
                              RoleSelection roles, ThreadFactory threadFactory) {
    public MigrationConfig {
        Objects.requireNonNull(migrationId, "migrationId");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(databases, "databases");
        Objects.requireNonNull(maxDuration, "maxDuration");
        Objects.requireNonNull(cutoverMode, "cutoverMode");
        Objects.requireNonNull(stateSchema, "stateSchema");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(statusInterval, "statusInterval");
        Objects.requireNonNull(replication, "replication");
        Objects.requireNonNull(roles, "roles");
        listeners = List.copyOf(listeners);
    }
}
