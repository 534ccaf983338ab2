package io.pgrelocate.examples.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.pgrelocate.core.Lsn;
import io.pgrelocate.core.PgRelocateException;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * Writes records, maps, collections and plain values as one line of JSON with jackson-core's generator, for
 * {@code --json} and {@code --json-progress}: durations in seconds, instants in ISO-8601, LSNs as PostgreSQL
 * prints them ({@code "0/16B3748"}), exceptions as their code and message.
 */
final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();

    private Json() {
    }

    /** A JSON object for {@code record} with an extra first field {@code "event": type}. */
    static String event(String type, Record record) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("event", type);
            fields(g, record);
            g.writeEndObject();
        });
    }

    static String of(Object value) {
        return write(g -> value(g, value));
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(Body body) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON to a string", e);
        }
        return out.toString();
    }

    private static void value(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Integer || v instanceof Long) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isFinite(d)) {
                g.writeNumber(d);
            } else {
                g.writeNull();
            }
        } else if (v instanceof Duration d) {
            g.writeNumber(d.toMillis() / 1000.0);
        } else if (v instanceof Instant || v instanceof Enum<?> || v instanceof Lsn) {
            g.writeString(v.toString());
        } else if (v instanceof PgRelocateException e) {
            g.writeStartObject();
            g.writeStringField("code", e.code().name());
            g.writeStringField("message", e.getMessage());
            g.writeEndObject();
        } else if (v instanceof Record r) {
            g.writeStartObject();
            fields(g, r);
            g.writeEndObject();
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                value(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof Collection<?> c) {
            g.writeStartArray();
            for (Object o : c) {
                value(g, o);
            }
            g.writeEndArray();
        } else {
            g.writeString(v.toString());
        }
    }

    private static void fields(JsonGenerator g, Record r) throws IOException {
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            g.writeFieldName(c.getName());
            value(g, read(c, r));
        }
    }

    private static Object read(RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c.getName(), e);
        }
    }
}
