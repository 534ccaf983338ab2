package io.pgrelocate.core.internal.roles;

/**
 * {@code member} belongs to {@code role}. {@code inherit} and {@code set} are the 16+ per-grant options, null
 * when the source is older (then inheritance is the member's {@code INHERIT} attribute, and SET always allowed).
 * {@code grantor} is the role that granted it on a 16+ source, where a grantor must hold ADMIN on the role; null
 * before 16 (the grantor was not checked and means little) and for the bootstrap superuser, which a superuser's
 * grant on the target records anyway.
 */
public record Membership(String role, String member, boolean admin, Boolean inherit, Boolean set, String grantor) {
}
