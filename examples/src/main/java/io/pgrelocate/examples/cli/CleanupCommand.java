package io.pgrelocate.examples.cli;

import io.pgrelocate.replication.Cleanup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code pgrelocate cleanup --source URI}: lifts the fences and drops the slots, publications and schema-change
 * capture pgrelocate left on a source.
 */
@Command(name = "cleanup", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Lift the cutover fences and drop the replication slots, publications and schema-change "
                + "capture pgrelocate left on a source.")
final class CleanupCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Option(names = "--source", paramLabel = "URI", description = "The source server; omitted: PGHOST, PGPORT, "
            + "PGUSER, PGDATABASE as psql reads them.")
    String source;

    @Option(names = "--source-password-file", paramLabel = "FILE", description = "Read the password from this "
            + "file.")
    String sourcePasswordFile;

    @Option(names = "--disable-ssl", description = "Connect without TLS.")
    boolean disableSsl;

    CleanupCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        List<String> dropped = Cleanup.run(Options.endpoint(source, "--source", sourcePasswordFile, disableSsl,
                ctx));
        if (dropped.isEmpty()) {
            ctx.console().println("nothing to clean up: no pgrelocate fence, slot or publication on the source");
        }
        dropped.forEach(d -> ctx.console().println(d.startsWith("fence") ? "lifted " + d : "dropped " + d));
        return ExitCodes.OK;
    }
}
