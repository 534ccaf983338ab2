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
 */
public record ExtractOptions(Set<String> excludedSchemas, int targetVersionNum, Set<String> targetRoles,
                             Map<String, Set<String>> targetExtensions, Set<String> targetSettings) {
    public ExtractOptions {
        targetSettings = Set.copyOf(targetSettings);
        excludedSchemas = Set.copyOf(excludedSchemas);
        targetRoles = Set.copyOf(targetRoles);
        targetExtensions = Map.copyOf(targetExtensions);
    }
}
