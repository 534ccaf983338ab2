package io.pgrelocate.examples.cli;

import io.pgrelocate.dump.Verifier;
import io.pgrelocate.dump.VerifyResult;

import java.util.List;
import java.util.Set;

/**
 * {@code pgrelocate verify}: compares source and target, schema and rows; exit 0 when they match, 4 when they
 * differ, naming every difference (one line each, or one JSON object with {@code --json}).
 */
final class VerifyCommand implements Command {
    @Override
    public int run(List<String> argv, Console console) {
        Args args = Args.parse(argv, Set.of("source", "target", "database", "ignore-database", "jobs", "state-schema"),
                Set.of("json", "disable-ssl"));
        Verifier.Builder builder = Verifier.builder()
                .source(Options.endpoint(args, "source", console))
                .target(Options.endpoint(args, "target", console))
                .databases(args.all("database"))
                .ignoreDatabases(args.all("ignore-database"))
                .jobs(args.intValue("jobs", 2))
                .stateSchema(StatusCommand.stateSchema(args));
        VerifyResult result = builder.build().verify();
        console.println(args.has("json") ? result.toJson() : result.toText());
        return result.matches() ? ExitCodes.OK : ExitCodes.DIFFERENCES;
    }
}
