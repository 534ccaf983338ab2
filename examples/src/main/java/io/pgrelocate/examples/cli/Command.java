package io.pgrelocate.examples.cli;

import java.util.List;

/** One CLI command. */
interface Command {
    /** Runs with the arguments after the command's name; returns the exit code. */
    int run(List<String> argv, Console console);
}
