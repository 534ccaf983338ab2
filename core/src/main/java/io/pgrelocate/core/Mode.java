package io.pgrelocate.core;

/** How a migration moves data. */
public enum Mode {
    /** Copy at a snapshot, then stream changes by logical replication until cutover or stop. */
    CONTINUOUS,
    /** Copy at one point in time; needs no replication privileges. */
    DUMP
}
