package io.pgrelocate.dump.internal.schema;

import io.pgrelocate.core.spi.Sql;

/**
 * One column as the catalogs describe it.
 *
 * @param generated     {@code ""}, {@code "s"} (stored) or {@code "v"} (virtual, 18+)
 * @param identity      {@code ""}, {@code "a"} (always) or {@code "d"} (by default)
 * @param identityOptions {@code SEQUENCE NAME ... START WITH ...} of the identity's sequence, or null
 * @param notNull       the column's NOT NULL clause ({@code NOT NULL}, on 18 with its constraint's name where that is
 *                      not the default, and NO INHERIT), or null (a NOT VALID one is added after the data)
 * @param local         whether the column is the table's own (not only inherited)
 * @param generationInherited a generated column's expression comes from its inheritance parent
 */
record ColumnDef(String name, String type, long typeOid, String collation, String notNull, String defaultExpr,
                 String generated, String identity, String identityOptions, SequencePersistence identitySequence,
                 boolean local, Details details, boolean generationInherited) {

    /**
     * An identity sequence's name and persistence ({@code p} or {@code u}). From 15 it is made with its table's
     * persistence, which it need not have kept (an unlogged table's from 14 is logged, and ALTER SEQUENCE changes it).
     */
    record SequencePersistence(String qualified, String persistence) {
        /** {@code ALTER SEQUENCE ... SET [UN]LOGGED} when a target of {@code targetVersionNum} would differ, or null. */
        String alterIfDiffers(String tablePersistence, int targetVersionNum) {
            if (targetVersionNum < 150000 || persistence.equals(tablePersistence)) {
                return null;
            }
            return "ALTER SEQUENCE " + qualified + (persistence.equals("u") ? " SET UNLOGGED" : " SET LOGGED");
        }
    }

    /**
     * Per-column settings set by ALTER TABLE, each null (or -1) when the column has the default.
     *
     * @param storage     {@code p}, {@code e}, {@code m} or {@code x} where it differs from the type's
     * @param compression {@code p} (pglz) or {@code l} (lz4)
     * @param fdwOptions  a foreign table column's options, as {@code name 'value', ...}
     */
    record Details(String storage, String compression, int statisticsTarget, String attributeOptions,
                   String fdwOptions) {
    }

    /** {@code ALTER TABLE ONLY ... ALTER COLUMN} statements for the settings that differ from the defaults. */
    java.util.List<String> alterStatements(String alterTable) {
        String head = alterTable + " ALTER COLUMN " + Sql.ident(name) + " ";
        java.util.List<String> out = new java.util.ArrayList<>();
        if (details.storage() != null) {
            out.add(head + "SET STORAGE " + switch (details.storage()) {
                case "p" -> "PLAIN";
                case "e" -> "EXTERNAL";
                case "m" -> "MAIN";
                default -> "EXTENDED";
            });
        }
        if (details.compression() != null) {
            out.add(head + "SET COMPRESSION " + (details.compression().equals("l") ? "lz4" : "pglz"));
        }
        if (details.statisticsTarget() >= 0) {
            out.add(head + "SET STATISTICS " + details.statisticsTarget());
        }
        if (details.attributeOptions() != null) {
            out.add(head + "SET (" + details.attributeOptions() + ")");
        }
        return out;
    }

    boolean isCopied() {
        return generated.isEmpty();
    }

    /** A typed table's {@code name WITH OPTIONS DEFAULT ... NOT NULL}, or null when the column has neither. */
    String typedTableOptions() {
        if (defaultExpr == null && notNull == null) {
            return null;
        }
        return Sql.ident(name) + " WITH OPTIONS" + (defaultExpr == null ? "" : " DEFAULT " + defaultExpr)
                + (notNull == null ? "" : " " + notNull);
    }

    /**
     * The column's definition; without its identity for a partition made on its own and attached, which shares
     * its parent's identity (17+) and cannot be attached with one of its own; with its generation expression even
     * where that is its parent's for a child made on its own and INHERIT-ed afterwards.
     */
    String ddl(boolean withIdentity, boolean ownGeneration) {
        StringBuilder sb = new StringBuilder(Sql.ident(name)).append(' ').append(type);
        if (details.fdwOptions() != null) {
            sb.append(" OPTIONS (").append(details.fdwOptions()).append(')');
        }
        if (collation != null) {
            sb.append(" COLLATE ").append(collation);
        }
        if (generationInherited && !ownGeneration) {
            // the parent's expression arrives through INHERITS; the server refuses it on the child (15)
        } else if (!generated.isEmpty()) {
            sb.append(" GENERATED ALWAYS AS (").append(defaultExpr).append(')')
                    .append(generated.equals("v") ? " VIRTUAL" : " STORED");
        } else if (defaultExpr != null) {
            sb.append(" DEFAULT ").append(defaultExpr);
        }
        if (notNull != null) {
            sb.append(' ').append(notNull);
        }
        if (!identity.isEmpty() && withIdentity) {
            sb.append(identity.equals("a") ? " GENERATED ALWAYS AS IDENTITY" : " GENERATED BY DEFAULT AS IDENTITY");
            if (identityOptions != null) {
                sb.append(" (").append(identityOptions).append(')');
            }
        }
        return sb.toString();
    }
}
