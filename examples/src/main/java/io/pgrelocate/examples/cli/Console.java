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

    Console(PrintStream out, PrintStream err, boolean verbose) {
        this.out = out;
        this.err = err;
        this.verbose = verbose;
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
        out.println(redact(line));
        out.flush();
    }

    synchronized void error(String line) {
        err.println(redact(line));
        err.flush();
    }

    synchronized String redact(String line) {
        String r = line;
        for (String s : secrets) {
            r = r.replace(s, "****");
        }
        return r;
    }
}
