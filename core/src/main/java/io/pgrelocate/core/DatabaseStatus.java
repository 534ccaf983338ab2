package io.pgrelocate.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A snapshot of one database's progress. {@code lastAppliedLsn}, {@code lagBytes} and {@code lagTime}
 * apply to continuous migrations (null/-1 otherwise); {@code error} is null unless the phase is FAILED.
 * {@code rowsPlanned} and {@code bytesPlanned} are the copy's estimates (-1 before it is planned, in the units
 * {@code rowsCopied} and {@code bytesCopied} count); {@code earlier} is an earlier reading of the same counters
 * by the same process (null when there is none yet), so a reader of one snapshot can tell rates and an ETA
 * from the two readings' own timestamps, without reading again. Immutable and thread-safe.
 */
public record DatabaseStatus(String database, Phase phase, int tablesTotal, int tablesDone, long rowsCopied,
                             long bytesCopied, Lsn lastAppliedLsn, long lagBytes, Duration lagTime, String error,
                             Instant updatedAt, long rowsPlanned, long bytesPlanned, Reading earlier) {

    /** The counters a rate is computed from, as they were at {@code at}; {@code lagBytes} is -1 when unknown. */
    public record Reading(Instant at, long bytesCopied, long lagBytes) {
    }

    /** A status without copy estimates or an earlier reading (as state tables of earlier builds hold it). */
    public DatabaseStatus(String database, Phase phase, int tablesTotal, int tablesDone, long rowsCopied,
                          long bytesCopied, Lsn lastAppliedLsn, long lagBytes, Duration lagTime, String error,
                          Instant updatedAt) {
        this(database, phase, tablesTotal, tablesDone, rowsCopied, bytesCopied, lastAppliedLsn, lagBytes, lagTime,
                error, updatedAt, -1, -1, null);
    }

    /** How much of the estimated bytes are copied, 0 to 100 (an estimate can be passed: capped); empty without one. */
    public OptionalDouble copyPercent() {
        if (bytesPlanned <= 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(Math.min(100.0, bytesCopied * 100.0 / bytesPlanned));
    }

    private double secondsSinceEarlier() {
        return earlier == null ? 0 : Duration.between(earlier.at(), updatedAt).toMillis() / 1000.0;
    }

    /** Bytes copied per second between {@link #earlier()} and this reading; empty unless copying with two readings. */
    public OptionalDouble copyRate() {
        double seconds = secondsSinceEarlier();
        if (phase != Phase.COPYING || seconds <= 0 || bytesCopied < earlier.bytesCopied()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((bytesCopied - earlier.bytesCopied()) / seconds);
    }

    /** When the copy should end at {@link #copyRate()}; empty without a rate or once the estimate is passed. */
    public Optional<Duration> copyEta() {
        OptionalDouble rate = copyRate();
        long left = bytesPlanned - bytesCopied;
        if (rate.isEmpty() || rate.getAsDouble() <= 0 || bytesPlanned <= 0 || left <= 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofSeconds((long) Math.ceil(left / rate.getAsDouble())));
    }

    /** How fast the lag changes, in bytes per second (negative: falling); empty without two lag readings. */
    public OptionalDouble lagRate() {
        double seconds = secondsSinceEarlier();
        if (seconds <= 0 || lagBytes < 0 || earlier.lagBytes() < 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((lagBytes - earlier.lagBytes()) / seconds);
    }

    /** When the lag should reach zero at {@link #lagRate()}; empty unless it is falling. */
    public Optional<Duration> catchUpEta() {
        OptionalDouble rate = lagRate();
        if (rate.isEmpty() || rate.getAsDouble() >= 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofSeconds((long) Math.ceil(lagBytes / -rate.getAsDouble())));
    }
}
