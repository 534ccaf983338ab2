package io.pgrelocate.core.internal.roles;

/**
 * {@code member} belongs to {@code role}. {@code inherit} and {@code set} are the 16+ per-grant options, null
 * when the source is older (then inheritance is the member's {@code INHERIT} attribute, and SET always allowed).
 */
public record Membership(String role, String member, boolean admin, Boolean inherit, Boolean set) {
}
