package io.pgrelocate.examples.cli;

import io.pgrelocate.replication.Cleanup;

import java.util.List;
import java.util.Set;

/** {@code pgrelocate cleanup --source URI}: drops the slots and publications pgrelocate left on a source. */
final class CleanupCommand implements Command {
    @Override
    public int run(List<String> argv, Console console) {
        Args args = Args.parse(argv, Set.of("source"), Set.of("disable-ssl"));
        List<String> dropped = Cleanup.run(Options.endpoint(args, "source", console));
        if (dropped.isEmpty()) {
            console.println("nothing to clean up: no pgrelocate fence, slot or publication on the source");
        }
        dropped.forEach(d -> console.println(d.startsWith("fence") ? "lifted " + d : "dropped " + d));
        return ExitCodes.OK;
    }
}
