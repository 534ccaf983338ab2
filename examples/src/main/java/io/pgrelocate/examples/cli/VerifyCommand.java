package io.pgrelocate.examples.cli;

import io.pgrelocate.dump.Verifier;
import io.pgrelocate.dump.VerifyResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code pgrelocate verify}: compares source and target, schema and rows; exit 0 when they match, 4 when they
 * differ, naming every difference (one line each, or one JSON object with {@code --json}).
 */
@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Compare source and target, schema and rows; exit 4 when they differ, naming every "
                + "difference.")
final class VerifyCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    Options.Servers servers;
    @Mixin
    Options.Selection selection;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", defaultValue = "2",
            description = "Tables compared at once per side; default: ${DEFAULT-VALUE}.")
    int jobs;

    @Option(names = "--state-schema", paramLabel = "NAME", defaultValue = "pgrelocate",
            description = "pgrelocate's state schema, left out of the comparison; default: ${DEFAULT-VALUE}.")
    String stateSchema;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    VerifyCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        VerifyResult result = Verifier.builder()
                .source(Options.endpoint(servers.source, "--source", servers.sourcePasswordFile, servers.disableSsl, ctx))
                .target(Options.endpoint(servers.target, "--target", servers.targetPasswordFile, servers.disableSsl, ctx))
                .databases(selection.databases)
                .ignoreDatabases(selection.ignored)
                .jobs(jobs)
                .stateSchema(stateSchema)
                .build().verify();
        ctx.console().println(json ? result.toJson() : result.toText());
        return result.matches() ? ExitCodes.OK : ExitCodes.DIFFERENCES;
    }
}
