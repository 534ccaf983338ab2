package io.pgrelocate.replication.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.core.spi.MigrationContext;
import io.pgrelocate.dump.Difference;
import io.pgrelocate.dump.Verifier;
import io.pgrelocate.dump.VerifyResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The last step of a database's cutover, after its drain: the {@code verify} comparison of its schema
 * (always: it reads only the catalogs) and, when asked, of every table's rows. A cutover never reports
 * success over a target that differs, whatever the stream did or missed.
 */
final class CutoverCheck {
    private static final Logger log = LoggerFactory.getLogger(CutoverCheck.class);
    private static final int SHOWN = 10;

    private CutoverCheck() {
    }

    /** @throws PgRelocateException {@link ErrorCode#VERIFY_DIFFERENCES} naming the differences */
    static void verify(MigrationContext context, String database) {
        boolean data = context.cutoverVerifiesData();
        VerifyResult result = Verifier.builder().source(context.config().source()).target(context.config().target())
                .databases(database).jobs(Math.max(1, Math.min(4, context.config().jobs())))
                .stateSchema(context.config().stateSchema()).compareData(data).build().verify();
        List<Difference> differences = result.differences().stream().filter(d -> !notCopied(d)).toList();
        result.differences().stream().filter(CutoverCheck::notCopied).forEach(d -> log.warn("database {}: {} "
                + "(publications are not copied, as reported before the copy; create it on the target if needed)",
                database, d));
        if (differences.isEmpty()) {
            log.info("database {}: the target's schema{} matches the source's ({} objects)", database,
                    data ? " and rows" : "", result.objectsCompared());
            return;
        }
        throw new PgRelocateException(ErrorCode.VERIFY_DIFFERENCES, message(database, differences));
    }

    /** A publication of the source's own: not copied by design and named in a warning before the copy. */
    private static boolean notCopied(Difference d) {
        return d.kind().equals("publication") && d.problem() == Difference.Problem.MISSING_ON_TARGET;
    }

    static String message(String database, List<Difference> differences) {
        String shown = differences.stream().limit(SHOWN).map(Difference::toString).collect(Collectors.joining("; "));
        return "database " + database + ": cutover refused, the target differs from the source (" + differences.size()
                + " difference(s): " + shown + (differences.size() > SHOWN ? "; ..." : "") + "); the source is no "
                + "longer fenced and the slot is kept: align the target (pgrelocate verify lists every difference), "
                + "then start the migration again to resume and cut over";
    }
}
