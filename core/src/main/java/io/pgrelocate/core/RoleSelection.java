package io.pgrelocate.core;

/**
 * Which roles of the source a migration creates on the target before the schema (roles are cluster-wide,
 * so they are not part of any database). A role the target already has is never changed.
 */
public enum RoleSelection {
    /**
     * The roles the migrated databases name: owners, grantees, policy and default-privilege roles, roles with
     * settings in them, their members, and the roles those belong to. The default.
     */
    NEEDED,
    /** Every role of the source but the reserved ones ({@code pg_*}). */
    ALL,
    /** No role: objects whose roles the target lacks keep the migration role as owner (with a warning). */
    NONE
}
