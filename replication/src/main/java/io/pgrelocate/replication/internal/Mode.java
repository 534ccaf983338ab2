package io.pgrelocate.replication.internal;

/** What the engine asks a database's replicator to do next. */
public enum Mode {
    /** Copy if needed, then stream. */
    RUN,
    /** Apply up to the cutover position, then finish: sequences, drop slot and publication. */
    DRAIN,
    /** End the stream and drop slot and publication, keeping the target's data. */
    STOP,
    /** End the stream and keep the slot, so a later run can resume (after a failure elsewhere). */
    HALT
}
