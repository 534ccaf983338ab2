package io.pgrelocate.core;

/**
 * The lifecycle of a whole migration. {@link #INTERRUPTED} is never a running process's own state: readers of
 * the state tables ({@link MigrationControl}) report it for an unfinished migration whose process is gone
 * (killed, crashed, or a JVM that exited without {@code close()}); starting the migration again resumes it.
 */
public enum MigrationState {
    CREATED, RUNNING, CUTTING_OVER, STOPPING, COMPLETED, STOPPED, FAILED, INTERRUPTED;

    public boolean isTerminal() {
        return this == COMPLETED || this == STOPPED || this == FAILED;
    }
}
