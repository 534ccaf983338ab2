package io.pgrelocate.examples.cli;

import io.pgrelocate.core.DatabaseStatus;
import io.pgrelocate.core.MigrationHandle;
import io.pgrelocate.core.MigrationStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * On a terminal, keeps the last line showing the whole run: copy totals, rate and ETA, post-data progress,
 * and once databases stream, their greatest lag. Redrawn twice a second by a thread of its own.
 */
final class LiveStatus implements AutoCloseable {
    private static final Duration EVERY = Duration.ofMillis(500);

    private final Console console;
    private final Thread thread;
    private volatile boolean running = true;

    private LiveStatus(Console console, MigrationHandle handle, ProgressTotals totals) {
        this.console = console;
        this.thread = new Thread(() -> {
            while (running) {
                console.status(line(handle.status(), totals));
                try {
                    Thread.sleep(EVERY.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "pgrelocate-cli-status");
        thread.setDaemon(true);
        thread.start();
    }

    /** A live line when the console is a terminal; otherwise null (plain lines are printed instead). */
    static LiveStatus start(Console console, MigrationHandle handle, ProgressTotals totals) {
        return console.isTerminal() ? new LiveStatus(console, handle, totals) : null;
    }

    static String line(MigrationStatus status, ProgressTotals totals) {
        StringBuilder sb = new StringBuilder(totals.line(Instant.now()));
        long streaming = status.databases().stream().filter(d -> d.lagBytes() >= 0).count();
        if (streaming > 0) {
            DatabaseStatus worst = status.databases().stream().filter(d -> d.lagBytes() >= 0)
                    .max(java.util.Comparator.comparingLong(DatabaseStatus::lagBytes)).orElseThrow();
            sb.append(String.format(Locale.ROOT, "; streaming %d/%d, lag up to %s", streaming,
                    status.databases().size(), ProgressPrinter.size(worst.lagBytes())));
        }
        return sb.toString();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(EVERY.toMillis() * 2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        console.status(null);
    }
}
