package io.pgrelocate.examples.cli;

import io.pgrelocate.core.spi.JsonText;

import io.pgrelocate.core.PgRelocateException;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/** Writes records, collections and plain values as JSON, for {@code --json} and {@code --json-progress}. */
final class Json {
    private Json() {
    }

    /** A JSON object for {@code record} with an extra first field {@code "event": type}. */
    static String event(String type, Record record) {
        StringBuilder sb = new StringBuilder("{\"event\":");
        JsonText.quote(sb, type);
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            sb.append(',');
            JsonText.quote(sb, c.getName());
            sb.append(':');
            value(sb, read(c, record));
        }
        return sb.append('}').toString();
    }

    static String of(Object value) {
        StringBuilder sb = new StringBuilder();
        value(sb, value);
        return sb.toString();
    }

    private static void value(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long) {
            sb.append(v);
        } else if (v instanceof Number n) {
            double d = n.doubleValue();
            sb.append(Double.isFinite(d) ? n.toString() : "null");
        } else if (v instanceof Duration d) {
            sb.append(d.toMillis() / 1000.0);
        } else if (v instanceof Instant || v instanceof Enum<?>) {
            JsonText.quote(sb, v.toString());
        } else if (v instanceof PgRelocateException e) {
            sb.append("{\"code\":");
            JsonText.quote(sb, e.code().name());
            sb.append(",\"message\":");
            JsonText.quote(sb, e.getMessage());
            sb.append('}');
        } else if (v instanceof Record r) {
            object(sb, r);
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(first ? "" : ",");
                first = false;
                JsonText.quote(sb, String.valueOf(e.getKey()));
                sb.append(':');
                value(sb, e.getValue());
            }
            sb.append('}');
        } else if (v instanceof Collection<?> c) {
            sb.append('[');
            boolean first = true;
            for (Object o : c) {
                sb.append(first ? "" : ",");
                first = false;
                value(sb, o);
            }
            sb.append(']');
        } else {
            JsonText.quote(sb, v.toString());
        }
    }

    private static void object(StringBuilder sb, Record r) {
        sb.append('{');
        boolean first = true;
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            sb.append(first ? "" : ",");
            first = false;
            JsonText.quote(sb, c.getName());
            sb.append(':');
            value(sb, read(c, r));
        }
        sb.append('}');
    }

    private static Object read(RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c.getName(), e);
        }
    }

}
