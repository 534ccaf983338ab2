package io.pgrelocate.core;

/** The lifecycle of a whole migration. */
public enum MigrationState {
    CREATED, RUNNING, CUTTING_OVER, STOPPING, COMPLETED, STOPPED, FAILED;

    public boolean isTerminal() {
        return this == COMPLETED || this == STOPPED || this == FAILED;
    }
}
