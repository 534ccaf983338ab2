package io.pgrelocate.core;

/** When a continuous migration cuts over. */
public enum CutoverMode {
    /** On request: {@link MigrationHandle#cutover}, the CLI's {@code cutover} or the state table. */
    MANUAL,
    /** As soon as every database has caught up. */
    AUTO
}
