package io.pgrelocate.examples.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the CLI writes. Every line passes through a redactor that blanks the passwords of the endpoints
 * given on the command line, as a last guard: messages are written never to contain them anyway.
 */
final class Console {
    private final PrintStream out;
    private final PrintStream err;
    private final boolean verbose;
    private final List<String> secrets = new ArrayList<>();
    private final boolean terminal;
    private String status;

    Console(PrintStream out, PrintStream err, boolean verbose) {
        this.out = out;
        this.err = err;
        this.verbose = verbose;
        // a live status line only where a person watches: our stdout, attached to a terminal
        this.terminal = out == System.out && System.console() != null && System.getenv("TERM") != null
                && !"dumb".equals(System.getenv("TERM"));
    }

    /** Whether the output is a terminal, where {@link #status} keeps a line updated in place. */
    boolean isTerminal() {
        return terminal;
    }

    /** Shows {@code line} as the terminal's last line, redrawn in place; null removes it. */
    synchronized void status(String line) {
        if (!terminal) {
            return;
        }
        clearStatus();
        status = line == null ? null : redact(line);
        if (status != null) {
            out.print(status);
        }
        out.flush();
    }

    private void clearStatus() {
        if (status != null) {
            out.print("\r\033[2K");
        }
    }

    boolean verbose() {
        return verbose;
    }

    /** Registers a secret that must never be printed. */
    synchronized void secret(String value) {
        if (value != null && value.length() >= 3) {
            secrets.add(value);
        }
    }

    synchronized void println(String line) {
        clearStatus();
        out.println(redact(line));
        if (status != null) {
            out.print(status);
        }
        out.flush();
    }

    synchronized void error(String line) {
        clearStatus();
        out.flush();
        err.println(redact(line));
        err.flush();
        if (status != null) {
            out.print(status);
            out.flush();
        }
    }

    synchronized String redact(String line) {
        String r = line;
        for (String s : secrets) {
            r = r.replace(s, "****");
        }
        return r;
    }
}
