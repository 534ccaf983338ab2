package io.pgrelocate.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a continuous migration's stream and cutover; part of {@link MigrationConfig}.
 *
 * @param fence             how the source is fenced at cutover
 * @param cutoverTimeout    a cutover that has not drained every database after this long fails, and its fence
 *                          is lifted
 * @param stallTimeout      a replication stream silent for this long (no change and no keepalive) is treated as
 *                          dead and reconnected; null: twice the source's {@code wal_sender_timeout}, between
 *                          10 seconds and 5 minutes
 * @param recopyInvalidated when the source invalidated a database's slot (it exceeded
 *                          {@code max_slot_wal_keep_size}), drop it and copy that database again instead of failing
 */
public record ReplicationOptions(FenceMode fence, Duration cutoverTimeout, Duration stallTimeout,
                                 boolean recopyInvalidated) {
    /** The defaults: read-only fence, 10 minutes to drain, stall timeout from the server, no automatic re-copy. */
    public static final ReplicationOptions DEFAULTS = new ReplicationOptions(FenceMode.READ_ONLY,
            Duration.ofMinutes(10), null, false);

    public ReplicationOptions {
        Objects.requireNonNull(fence, "fence");
        Objects.requireNonNull(cutoverTimeout, "cutoverTimeout");
    }
}
