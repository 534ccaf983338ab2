package io.pgrelocate.core;

/** How much a preflight finding matters. */
public enum Severity {
    /** Blocks the migration. */
    ERROR,
    /** Puts the migration at risk or loses something; accepted only explicitly. */
    WARNING,
    /** Worth knowing. */
    INFO
}
