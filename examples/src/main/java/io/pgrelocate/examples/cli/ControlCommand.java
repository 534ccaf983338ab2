package io.pgrelocate.examples.cli;

import io.pgrelocate.core.Endpoint;
import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.MigrationControl;
import io.pgrelocate.core.MigrationOutcome;
import io.pgrelocate.core.MigrationState;
import io.pgrelocate.core.MigrationStatus;
import io.pgrelocate.core.PgRelocateException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code pgrelocate stop} and {@code pgrelocate cutover}: ask the running migration, through the state
 * tables, and with {@code --wait} follow it until it has ended. Without {@code --id} they act on the only
 * unfinished migration recorded on the target. With {@code --wait} the exit code is the outcome's: 0 for
 * completed (and, for {@code stop}, stopped), 5 for a cutover that ended stopped, 1 for failed.
 */
abstract class ControlCommand implements Callable<Integer> {
    enum Action { STOP, CUTOVER }

    private static final Duration POLL = Duration.ofMillis(500);

    private final Action action;
    private final CliContext ctx;

    @Mixin
    Options.State state;

    @Option(names = "--wait", description = "Follow the migration until it has ended; exit with its outcome.")
    boolean wait;

    ControlCommand(Action action, CliContext ctx) {
        this.action = action;
        this.ctx = ctx;
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Ask the running migration to stop, keeping what was copied (it resumes when started "
                    + "again). With --wait: exit 0 once it has stopped, 1 if it failed.")
    static final class Stop extends ControlCommand {
        Stop(CliContext ctx) {
            super(Action.STOP, ctx);
        }
    }

    @Command(name = "cutover", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Ask the running continuous migration to cut over. With --wait: exit 0 once it has "
                    + "completed, 5 if it ended stopped, 1 if it failed.")
    static final class Cutover extends ControlCommand {
        @Option(names = "--verify", description = "Also compare every table's rows before the cutover completes "
                + "(the schema is always compared).")
        boolean verify;

        Cutover(CliContext ctx) {
            super(Action.CUTOVER, ctx);
        }
    }

    @Override
    public Integer call() {
        Console console = ctx.console();
        Endpoint target = Options.endpoint(state.target, "--target", state.targetPasswordFile, state.disableSsl,
                ctx);
        try (MigrationControl control = MigrationControl.connect(target, state.stateSchema)) {
            String id = state.id != null ? state.id : onlyMigration(control);
            if (action == Action.STOP) {
                control.requestStop(id);
            } else {
                control.requestCutover(id, this instanceof Cutover c && c.verify);
            }
            console.println(name() + " requested for migration " + id);
            return wait ? follow(control, id, console) : ExitCodes.OK;
        }
    }

    private String name() {
        return action.name().toLowerCase(Locale.ROOT);
    }

    /** The id of the one unfinished migration on the target; a usage error when there are none or several. */
    static String onlyMigration(MigrationControl control) {
        List<String> ids = control.statuses().stream().filter(s -> !s.state().isTerminal())
                .map(MigrationStatus::migrationId).toList();
        if (ids.size() == 1) {
            return ids.get(0);
        }
        if (ids.isEmpty()) {
            throw new PgRelocateException(ErrorCode.NO_MIGRATION, "no unfinished migration is recorded on this "
                    + "target; 'status' shows how recent ones ended");
        }
        throw new UsageException("several migrations are recorded on this target (" + String.join(", ", ids)
                + "): name one with --id");
    }

    private int follow(MigrationControl control, String id, Console console) {
        while (true) {
            Optional<MigrationStatus> s = control.status(id);
            if (s.isEmpty() || s.get().state().isTerminal()) {
                return ended(control, id, s, console);
            }
            if (s.get().state() == MigrationState.INTERRUPTED) {
                throw new PgRelocateException(ErrorCode.NO_MIGRATION, "no process is running migration " + id
                        + "; start it again and it will act on the " + name() + " request");
            }
            LockSupport.parkNanos(POLL.toNanos());
            if (Thread.interrupted()) {
                return ExitCodes.FAILURE;
            }
        }
    }

    /** The run has ended: its kept state row, or the outcome it recorded when it removed its state. */
    private int ended(MigrationControl control, String id, Optional<MigrationStatus> kept, Console console) {
        MigrationState state;
        String error;
        if (kept.isPresent()) {
            state = kept.get().state();
            error = kept.get().error();
        } else {
            Optional<MigrationOutcome> outcome = control.outcome(id);
            if (outcome.isEmpty()) {
                throw new PgRelocateException(ErrorCode.NO_MIGRATION, "migration " + id + " is no longer recorded "
                        + "on this target, and how it ended is not known");
            }
            state = outcome.get().state();
            error = outcome.get().error();
        }
        console.println("migration " + id + " ended " + state + (error == null ? "" : ": " + error));
        return switch (state) {
            case COMPLETED -> ExitCodes.OK;
            case STOPPED -> action == Action.STOP ? ExitCodes.OK : ExitCodes.STOPPED;
            default -> ExitCodes.FAILURE;
        };
    }
}
