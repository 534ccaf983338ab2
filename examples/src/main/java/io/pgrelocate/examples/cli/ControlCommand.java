package io.pgrelocate.examples.cli;

import io.pgrelocate.core.Endpoint;
import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.MigrationControl;
import io.pgrelocate.core.MigrationStatus;
import io.pgrelocate.core.PgRelocateException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code pgrelocate stop} and {@code pgrelocate cutover}: ask the running migration, through the state
 * tables, and with {@code --wait} follow it until it has ended.
 */
final class ControlCommand implements Command {
    enum Action { STOP, CUTOVER }

    private final Action action;

    ControlCommand(Action action) {
        this.action = action;
    }

    @Override
    public int run(List<String> argv, Console console) {
        Args args = Args.parse(argv, Set.of("target", "id", "state-schema"), Set.of("wait", "disable-ssl", "verify"));
        Endpoint target = Options.endpoint(args, "target", console);
        String id = args.has("id") ? args.get("id") : "default";
        try (MigrationControl control = MigrationControl.connect(target, StatusCommand.stateSchema(args))) {
            if (action == Action.STOP) {
                control.requestStop(id);
            } else {
                control.requestCutover(id, args.has("verify"));
            }
            console.println(action.name().toLowerCase() + " requested for migration " + id);
            return args.has("wait") ? follow(control, id, console) : ExitCodes.OK;
        }
    }

    private int follow(MigrationControl control, String id, Console console) {
        while (true) {
            Optional<MigrationStatus> s = control.status(id);
            if (s.isEmpty()) {
                console.println("migration " + id + " has ended");
                return ExitCodes.OK;
            }
            if (s.get().state().isTerminal()) {
                console.println("migration " + id + " ended " + s.get().state()
                        + (s.get().error() == null ? "" : ": " + s.get().error()));
                return s.get().error() == null ? ExitCodes.OK : ExitCodes.FAILURE;
            }
            Duration age = control.heartbeatAge(id, Instant.now()).orElse(Duration.ZERO);
            if (age.compareTo(StatusCommand.STALE) > 0) {
                throw new PgRelocateException(ErrorCode.NO_MIGRATION, "no process is running migration " + id
                        + " (last heartbeat " + age.toSeconds() + " s ago); start it again and it will act on the "
                        + action.name().toLowerCase() + " request");
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ExitCodes.FAILURE;
            }
        }
    }
}
