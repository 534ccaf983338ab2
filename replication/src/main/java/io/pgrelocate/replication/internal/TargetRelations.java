package io.pgrelocate.replication.internal;

import io.pgrelocate.core.ErrorCode;
import io.pgrelocate.core.PgRelocateException;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The source relations the apply has seen, matched to their target tables on first use, so a skipped
 * transaction's old shapes never are (its Relation may be long gone). Not thread-safe.
 */
final class TargetRelations {
    private final Connection connection;
    private final Map<Integer, TargetRelation> relations = new HashMap<>();
    /** Relation messages not matched yet: matched on first use, so a skipped transaction's old shapes never are. */
    private final Map<Integer, PgOutputMessage.Relation> unmatched = new HashMap<>();

    TargetRelations(Connection connection) {
        this.connection = connection;
    }

    /** Matched on first use, so a skipped transaction's old shapes never are (its Relation may be long gone). */
    void forget(PgOutputMessage.Relation r) {
        relations.remove(r.id());
        unmatched.put(r.id(), r);
    }

    /** Matched again on next use: the target's tables changed shape (a DDL statement ran). */
    void rematchAll() {
        for (TargetRelation r : relations.values()) {
            unmatched.putIfAbsent(r.source().id(), r.source());
        }
        relations.clear();
    }

    /** The relation {@code id} if it is matched already, else null. */
    TargetRelation matched(int id) {
        return relations.get(id);
    }

    /** Every matched relation: what a failure's message may name. */
    Collection<TargetRelation> all() {
        return relations.values();
    }

    TargetRelation get(int id) throws SQLException {
        TargetRelation r = relations.get(id);
        if (r == null && unmatched.containsKey(id)) {
            r = TargetRelation.match(connection, unmatched.remove(id));
            relations.put(id, r);
        }
        if (r == null) {
            throw new PgRelocateException(ErrorCode.REPLICATION_FAILED, "change for relation " + id
                    + " arrived before its Relation message");
        }
        return r;
    }

    /** The relation {@code change} is to, or null for a change naming none or several. */
    TargetRelation of(PgOutputMessage change) throws SQLException {
        if (change instanceof PgOutputMessage.Insert i) {
            return get(i.relationId());
        }
        if (change instanceof PgOutputMessage.Update u) {
            return get(u.relationId());
        }
        return change instanceof PgOutputMessage.Delete d ? get(d.relationId()) : null;
    }
}
