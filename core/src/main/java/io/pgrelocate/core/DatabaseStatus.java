package io.pgrelocate.core;

import java.time.Duration;
import java.time.Instant;

/**
 * A snapshot of one database's progress. {@code lastAppliedLsn}, {@code lagBytes} and {@code lagTime}
 * apply to continuous migrations (null/-1 otherwise); {@code error} is null unless the phase is FAILED.
 */
public record DatabaseStatus(String database, Phase phase, int tablesTotal, int tablesDone, long rowsCopied,
                             long bytesCopied, Lsn lastAppliedLsn, long lagBytes, Duration lagTime, String error,
                             Instant updatedAt) {
}
