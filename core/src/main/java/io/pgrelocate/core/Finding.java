package io.pgrelocate.core;

import java.util.Objects;

/**
 * One preflight result.
 *
 * @param code        stable identifier, such as {@code WAL_LEVEL_NOT_LOGICAL}
 * @param severity    whether it blocks
 * @param subjectKind what it is about: {@code server}, {@code database}, {@code table}, {@code setting}, {@code role}...
 * @param subject     which one, such as {@code source} or {@code shop.public.orders}
 * @param message     what is wrong
 * @param remediation how to fix it, as SQL where SQL fixes it; empty when there is nothing to do
 */
public record Finding(String code, Severity severity, String subjectKind, String subject, String message,
                      String remediation) {
    public Finding {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(subjectKind, "subjectKind");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(message, "message");
        remediation = remediation == null ? "" : remediation;
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }
}
