package io.pgrelocate.examples.cli;

import io.pgrelocate.core.Migration;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.PreflightReport;
import io.pgrelocate.preflight.ReportRenderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code pgrelocate preflight}: checks every prerequisite of a migration without changing anything and prints
 * the findings (text, or JSON with {@code --json}). Exit 3 when any finding blocks, else 0.
 */
@Command(name = "preflight", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Check every prerequisite of a migration without changing anything; exit 3 when a "
                + "finding blocks it. Each finding names its fix.")
final class PreflightCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    Options.Servers servers;
    @Mixin
    Options.Selection selection;
    @Mixin
    Options.Run run;

    @Option(names = "--json", description = "Print the report as one JSON object.")
    boolean json;

    PreflightCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        try (Migration migration = Options.builder(servers, selection, run, ctx, Mode.CONTINUOUS).build()) {
            PreflightReport report = migration.preflight();
            Console console = ctx.console();
            if (json) {
                console.println(ReportRenderer.json(report));
            } else {
                console.println("preflight of a " + migration.config().mode().name().toLowerCase(Locale.ROOT)
                        + " migration from " + migration.config().source().display() + " to "
                        + migration.config().target().display());
                console.println(ReportRenderer.text(report));
            }
            return report.hasErrors() ? ExitCodes.PREFLIGHT : ExitCodes.OK;
        }
    }
}
