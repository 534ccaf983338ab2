package io.pgrelocate.dump.internal.schema;

import java.util.Map;
import java.util.Set;

/**
 * What the extractor must know about the copy.
 *
 * @param excludedSchemas  schemas never copied (pgrelocate's own state schema)
 * @param targetVersionNum the target's {@code server_version_num}, for syntax that differs between majors
 * @param targetRoles      roles that exist on the target; ownership and privileges of other roles are
 *                         skipped with a warning naming them
 * @param targetExtensions the extensions the target can install, with their available versions
 * @param targetSettings   the configuration parameters the target knows (lower case); per-database settings of
 *                         others are skipped with a warning
 * @param eventTriggersDisabled whether event triggers are created disabled whatever their state on the source:
 *                         a continuous migration's apply replays DDL as {@code replica} and logs in to the target
 *                         after the copy, where one enabled ALWAYS or REPLICA would fire on the replay, and a login
 *                         trigger on its sessions (the end of the run gives them the source's states)
 */
public record ExtractOptions(Set<String> excludedSchemas, int targetVersionNum, Set<String> targetRoles,
                             Map<String, Set<String>> targetExtensions, Set<String> targetSettings,
                             boolean eventTriggersDisabled) {
    /** Event triggers created in their source states (a point-in-time copy). */
    public ExtractOptions(Set<String> excludedSchemas, int targetVersionNum, Set<String> targetRoles,
                          Map<String, Set<String>> targetExtensions, Set<String> targetSettings) {
        this(excludedSchemas, targetVersionNum, targetRoles, targetExtensions, targetSettings, false);
    }

    public ExtractOptions {
        targetSettings = Set.copyOf(targetSettings);
        excludedSchemas = Set.copyOf(excludedSchemas);
        targetRoles = Set.copyOf(targetRoles);
        targetExtensions = Map.copyOf(targetExtensions);
    }
}
