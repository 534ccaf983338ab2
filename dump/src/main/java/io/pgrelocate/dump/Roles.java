package io.pgrelocate.dump;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.MigrationEvent;
import io.pgrelocate.core.RoleSelection;
import io.pgrelocate.core.internal.roles.RolePlan;
import io.pgrelocate.core.internal.roles.RoleReader;
import io.pgrelocate.core.internal.roles.TargetRoles;
import io.pgrelocate.core.spi.DatabaseInfo;
import io.pgrelocate.core.spi.MigrationContext;
import io.pgrelocate.core.spi.PgErrors;
import io.pgrelocate.dump.internal.roles.RoleCopy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/**
 * Brings the source roles a migration needs to the target before any schema, as the configuration's
 * {@link RoleSelection} asks; both engines call it first. Thread-safe (stateless).
 *
 * <pre>{@code
 * Roles.copy(context);   // then the databases
 * }</pre>
 */
public final class Roles {
    private static final Logger log = LoggerFactory.getLogger(Roles.class);

    private Roles() {
    }

    /**
     * Creates the roles, with their attributes, password verifiers, comments, settings and memberships.
     * Whatever cannot be done is a {@code SchemaWarning}; only a server that cannot be read fails.
     *
     * @return the roles created
     */
    public static Set<String> copy(MigrationContext context) {
        RoleSelection selection = context.config().roles();
        if (selection == RoleSelection.NONE) {
            return Set.of();
        }
        String where = context.target().endpoint().database();
        try (Connection source = context.source().open("roles"); Connection target = context.target().open("roles")) {
            RolePlan plan = RolePlan.of(RoleReader.read(source, context.databases().stream().map(DatabaseInfo::name)
                    .toList(), selection), TargetRoles.read(target));
            return new RoleCopy(plan, (role, message) -> {
                log.warn("{}", message);
                context.emit(new MigrationEvent.SchemaWarning(where, "role " + role, message, context.clock().instant()));
            }).run(target);
        } catch (SQLException e) {
            throw PgErrors.failed(ErrorCode.SCHEMA_REPLAY_FAILED, "cannot read the roles to migrate", e);
        }
    }
}
