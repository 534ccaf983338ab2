package io.pgrelocate.examples.cli;

import io.pgrelocate.core.MigrationHandle;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * While a migration runs in the foreground, SIGINT and SIGTERM ask it to stop (keeping what was copied), so
 * {@code migrate} returns normally and exits 5 (stopped) instead of the JVM's 130/143; a second signal ends
 * the process at once. A shutdown hook still stops the run when the JVM ends any other way.
 */
final class Interruption implements AutoCloseable {
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(1);

    private final Map<Signal, SignalHandler> previous = new HashMap<>();
    private final Thread hook;

    private Interruption(MigrationHandle handle, Console console) {
        hook = new Thread(() -> {
            if (!handle.state().isTerminal()) {
                console.error("interrupted: stopping the migration (what was copied stays on the target)");
                handle.stop(STOP_TIMEOUT);
            }
        }, "pgrelocate-cli-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal signal = new Signal(name);
                previous.put(signal, Signal.handle(signal, s -> onSignal(s, handle, console)));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // this platform keeps the signal: the shutdown hook still stops the run
            }
        }
    }

    static Interruption stopping(MigrationHandle handle, Console console) {
        return new Interruption(handle, console);
    }

    private void onSignal(Signal signal, MigrationHandle handle, Console console) {
        // a second signal takes the JVM's default way out
        previous.forEach(Signal::handle);
        console.error("SIG" + signal.getName() + ": stopping the migration (what was copied stays on the target; "
                + "signal again to quit at once)");
        handle.requestStop();
    }

    @Override
    public void close() {
        previous.forEach(Signal::handle);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // the JVM is already shutting down
        }
    }
}
