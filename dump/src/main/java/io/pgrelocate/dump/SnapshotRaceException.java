package io.pgrelocate.dump;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.PgRelocateException;

/**
 * A table was rewritten on the source (TRUNCATE, or an ALTER TABLE that rewrites it) after the snapshot
 * was taken and before the copy could lock it. Such rewrites are not MVCC-safe: a copy at the snapshot
 * would read the rewritten table. Nothing was written to the target yet; retry with a new snapshot.
 */
public final class SnapshotRaceException extends PgRelocateException {
    private static final long serialVersionUID = 1L;

    public SnapshotRaceException(String message) {
        super(ErrorCode.COPY_FAILED, message);
    }
}
