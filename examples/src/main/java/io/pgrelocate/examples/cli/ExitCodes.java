package io.pgrelocate.examples.cli;

import io.pgrelocate.core.ErrorCode;

/** The CLI's exit codes (DESIGN.md's contract, plus distinct codes for the commonest connection problems). */
final class ExitCodes {
    static final int OK = 0;
    static final int FAILURE = 1;
    static final int USAGE = 2;
    static final int PREFLIGHT = 3;
    static final int DIFFERENCES = 4;
    static final int STOPPED = 5;
    static final int UNREACHABLE = 6;
    static final int AUTHENTICATION = 7;
    static final int NO_SUCH_DATABASE = 8;

    private ExitCodes() {
    }

    static int of(ErrorCode code) {
        return switch (code) {
            case INVALID_URI, INVALID_CONFIG -> USAGE;
            case PREFLIGHT_FAILED -> PREFLIGHT;
            case VERIFY_DIFFERENCES -> DIFFERENCES;
            case STOPPED -> STOPPED;
            case CONNECTION_FAILED -> UNREACHABLE;
            case AUTHENTICATION_FAILED -> AUTHENTICATION;
            case DATABASE_NOT_FOUND -> NO_SUCH_DATABASE;
            default -> FAILURE;
        };
    }
}
