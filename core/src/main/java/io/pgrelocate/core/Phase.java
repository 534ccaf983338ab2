package io.pgrelocate.core;

/** Where one database of a migration stands. */
public enum Phase {
    PENDING,
    /** Creating the database and its schema (pre-data) on the target. */
    SCHEMA,
    COPYING,
    /** Building indexes and constraints, setting sequences (post-data). */
    POST_DATA,
    /** Streaming the changes made since the snapshot. */
    CATCHING_UP,
    /** Caught up; applying changes as they come. */
    STREAMING,
    CUTTING_OVER,
    DONE,
    STOPPED,
    FAILED;

    /** Whether nothing more will happen to the database in this run. */
    public boolean isTerminal() {
        return this == DONE || this == STOPPED || this == FAILED;
    }
}
