package io.pgrelocate.dump.internal.schema;

/**
 * One statement to replay on the target, with the object it creates or changes named for messages
 * (such as {@code index public.orders_pkey}).
 */
public record DdlStatement(String object, String sql) {
}
