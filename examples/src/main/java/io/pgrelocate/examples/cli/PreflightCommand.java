package io.pgrelocate.examples.cli;

import io.pgrelocate.core.Migration;
import io.pgrelocate.core.Mode;
import io.pgrelocate.core.PreflightReport;
import io.pgrelocate.preflight.ReportRenderer;

import java.util.List;
import java.util.Set;

/**
 * {@code pgrelocate preflight}: checks every prerequisite of a migration without changing anything and prints
 * the findings (text, or JSON with {@code --json}). Exit 3 when any finding blocks, else 0.
 */
final class PreflightCommand implements Command {
    private static final Set<String> VALUED = Set.of("source", "target", "mode", "database", "ignore-database", "id",
            "state-schema", "jobs", "roles");
    private static final Set<String> FLAGS = Set.of("json", "disable-ssl", "allow-non-empty-target",
            "set-replica-identity-full");

    @Override
    public int run(List<String> argv, Console console) {
        Args args = Args.parse(argv, VALUED, FLAGS);
        var builder = Options.builder(args, console, Mode.CONTINUOUS);
        if (args.has("jobs")) {
            builder.jobs(args.intValue("jobs", 0));
        }
        if (args.has("state-schema")) {
            builder.stateSchema(args.get("state-schema"));
        }
        try (Migration migration = builder.build()) {
            PreflightReport report = migration.preflight();
            if (args.has("json")) {
                console.println(ReportRenderer.json(report));
            } else {
                console.println("preflight of a " + migration.config().mode().name().toLowerCase(java.util.Locale.ROOT)
                        + " migration from " + migration.config().source().display() + " to "
                        + migration.config().target().display());
                console.println(ReportRenderer.text(report));
            }
            return report.hasErrors() ? ExitCodes.PREFLIGHT : ExitCodes.OK;
        }
    }
}
