package io.aistream.chunk;

import io.aistream.json.Jackson;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;

/**
 * Copies JSON values verbatim for {@link UnknownChunk}: numbers keep their text (no round trip
 * through {@code double}), strings are re-escaped as every other chunk field is.
 */
final class RawJson {
    private RawJson() {}

    /** Copies the value at the parser's current token (a scalar or a whole object/array). */
    static void copyValue(JsonParser p, JsonGenerator g) {
        int depth = 0;
        do {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                g.writeNumber(p.getString());
            } else {
                g.copyCurrentEvent(p);
            }
            if (t.isStructStart()) {
                depth++;
            } else if (t.isStructEnd()) {
                depth--;
            }
        } while (depth > 0 && p.nextToken() != null);
    }

    /** Copies each field of {@code fields} (a JSON object text) through {@code g}, in order. */
    static void copyFields(String fields, JsonGenerator g) {
        try (JsonParser p = Jackson.factory().createParser(ObjectReadContext.empty(), fields)) {
            p.nextToken();
            for (String name = p.nextName(); name != null; name = p.nextName()) {
                p.nextToken();
                g.writeName(name);
                copyValue(p, g);
            }
        }
    }

    /**
     * {@code fields} as compact JSON object text, as a Jackson generator with default settings
     * writes it (numbers keep their text).
     *
     * @throws IllegalArgumentException if it is not one JSON object, or it holds the chunk's own
     *                                  {@code id}, {@code seq} or {@code type}
     */
    static String compact(String fields) {
        Capture capture = new Capture();
        try (JsonParser p = Jackson.factory().createParser(ObjectReadContext.empty(), fields)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("fields must be a JSON object");
            }
            for (String name = p.nextName(); name != null; name = p.nextName()) {
                if (name.equals("id") || name.equals("seq") || name.equals("type")) {
                    throw new IllegalArgumentException("fields must not hold the chunk's own '" + name + "'");
                }
                p.nextToken();
                capture.field(name, p);
            }
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("fields must be one JSON object, found more after it");
            }
        } catch (JacksonException e) {
            throw new IllegalArgumentException("fields must be a JSON object: " + e.getOriginalMessage(), e);
        }
        return capture.finish();
    }

    /** Collects fields, copied one by one, into compact JSON object text. Not thread-safe. */
    static final class Capture {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        private final JsonGenerator g = Jackson.factory().createGenerator(ObjectWriteContext.empty(), out);

        Capture() {
            g.writeStartObject();
        }

        /** Copies the field {@code name} whose value starts at the parser's current token. */
        void field(String name, JsonParser p) {
            g.writeName(name);
            copyValue(p, g);
        }

        /** The fields as a JSON object text; the capture is done. */
        String finish() {
            g.writeEndObject();
            g.close();
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
