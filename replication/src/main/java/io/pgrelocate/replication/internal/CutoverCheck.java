package io.pgrelocate.replication.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.PgRelocateException;
import io.pgrelocate.core.spi.MigrationContext;
import io.pgrelocate.core.spi.PgErrors;
import io.pgrelocate.dump.Difference;
import io.pgrelocate.dump.Verifier;
import io.pgrelocate.dump.VerifyResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
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
        Set<String> asCreated = eventTriggersAsCreated(context, database, result.differences());
        List<Difference> differences = result.differences().stream().filter(d -> !notCopied(d))
                .filter(d -> !fenced(d)).filter(d -> !EventTriggerStates.pending(d, asCreated)).toList();
        result.differences().stream().filter(CutoverCheck::notCopied).forEach(d -> log.warn("database {}: {} "
                + "(a publication the copy left out, as reported before it, or created on the source after the copy: "
                + "publication DDL is not replayed mid-stream; create it on the target if needed)",
                database, d));
        if (differences.isEmpty()) {
            log.info("database {}: the target's schema{} matches the source's ({} objects)", database,
                    data ? " and rows" : "", result.objectsCompared());
            return;
        }
        throw new PgRelocateException(ErrorCode.VERIFY_DIFFERENCES, message(database, differences));
    }

    /**
     * The event triggers still disabled on the target as the copy created them (the end of the run gives them their
     * source states: {@link EventTriggerStates}); read only when an event trigger differs.
     */
    private static Set<String> eventTriggersAsCreated(MigrationContext context, String database,
                                                      List<Difference> differences) {
        if (differences.stream().noneMatch(d -> d.kind().equals("event trigger"))) {
            return Set.of();
        }
        try (Connection tgt = context.target().open(database, "verify")) {
            return EventTriggerStates.disabled(tgt);
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.REPLICATION_FAILED, "cannot read the event triggers of target "
                    + "database " + database, e);
        }
    }

    /**
     * A source publication the target lacks: one the copy could not create (a feature the target's major lacks, or
     * FOR ALL TABLES without superuser; named in a warning before the copy) or one created after the copy, as the
     * DDL capture leaves publication statements out. Not a reason to refuse the cutover, as a publication holds no
     * data; one that exists on both sides and differs still is.
     */
    private static boolean notCopied(Difference d) {
        return d.kind().equals("publication") && d.problem() == Difference.Problem.MISSING_ON_TARGET;
    }

    /**
     * The source database's comment and privileges while it is fenced: the fence keeps its marker in the comment and
     * a strong fence revokes CONNECT, so they differ until the fence is lifted; {@code pgrelocate verify} compares
     * them after the cutover.
     */
    private static boolean fenced(Difference d) {
        return d.kind().equals("database comment and privileges");
    }

    static String message(String database, List<Difference> differences) {
        String shown = differences.stream().limit(SHOWN).map(Difference::toString).collect(Collectors.joining("; "));
        return "database " + database + ": cutover refused, the target differs from the source (" + differences.size()
                + " difference(s): " + shown + (differences.size() > SHOWN ? "; ..." : "") + "); the source is no "
                + "longer fenced and the slot is kept: align the target (pgrelocate verify lists every difference), "
                + "then start the migration again to resume and cut over";
    }
}
