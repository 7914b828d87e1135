package io.aistream.chunk;

import io.aistream.json.Jackson;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The JSON form of a {@link StreamChunk}, the native wire protocol's payload:
 *
 * <pre>
 * {"id":"st_1","seq":0,"type":"content","delta":"Hel"}
 * {"id":"st_1","seq":4,"type":"reasoning","delta":"First, "}
 * {"id":"st_1","seq":7,"type":"tool_call","toolCall":{"index":0,"id":"call_1","name":"get_weather","argumentsDelta":"{\"city\":"}}
 * {"id":"st_1","seq":9,"type":"error","error":{"code":"upstream_overloaded","message":"…","retryable":true,"provider":"anthropic","status":529}}
 * {"id":"st_1","seq":10,"type":"done","finishReason":"stop","usage":{"inputTokens":12,"outputTokens":40,"totalTokens":52},"provider":"openai","model":"gpt-4o-mini"}
 * </pre>
 *
 * <p><b>Writing</b> is compact and deterministic: field names in camelCase, {@code id}, {@code seq},
 * {@code type} first, then the type's fields in the order shown; absent optional values are omitted.
 * A {@code done} chunk adds {@code content} when present, {@code dropped} only when positive and
 * {@code "recovered":true} only when true. {@code error.retryable} is always written; a tool call's
 * {@code argumentsDelta} is omitted when empty. Strings are escaped as Jackson does by default
 * (lone surrogates as {@code \}{@code uXXXX} escapes, so every Java string survives a round trip).
 * For a hot loop, reuse a {@link ChunkJsonWriter} instead of the allocating methods here.
 *
 * <p><b>Reading</b> accepts fields in any order and ignores unknown ones at every level; a JSON
 * {@code null} counts as absent. Required: {@code id}, {@code seq} (an integer ≥ 0), {@code type},
 * {@code delta} for content and reasoning, {@code toolCall.index}, {@code error.code} and
 * {@code error.message}, {@code finishReason}. A missing {@code argumentsDelta} reads as "", a
 * missing {@code error.retryable} as the code's {@linkplain io.aistream.ErrorCode#retryableByDefault()
 * default}, a missing {@code usage.totalTokens} as input + output. Known fields of another chunk
 * type are still type-checked, then ignored. A {@code type} this version does not know is not an
 * error: the chunk becomes an {@link UnknownChunk} that keeps every other field verbatim and is
 * written back as it came (only {@code id} and {@code seq}, which it still needs, are checked).
 * Anything wrong raises a {@link ChunkParseException} naming the field — never a raw Jackson exception.
 *
 * <p>All methods are static and thread-safe.
 */
public final class ChunkJson {
    private static final JsonFactory FACTORY = Jackson.factory();

    private ChunkJson() {}

    /** The chunk's JSON text. */
    public static String toJson(StreamChunk chunk) {
        ChunkJsonWriter writer = new ChunkJsonWriter();
        writer.encode(chunk);
        return writer.asString();
    }

    /** The chunk's JSON as UTF-8 bytes. */
    public static byte[] toJsonBytes(StreamChunk chunk) {
        ChunkJsonWriter writer = new ChunkJsonWriter();
        writer.encode(chunk);
        return writer.toByteArray();
    }

    /**
     * Writes the chunk as one JSON object value through {@code generator}, e.g. as an element of an
     * array the caller is writing. The generator is neither flushed nor closed; its own settings
     * (escaping, pretty printing) apply.
     */
    public static void write(StreamChunk chunk, JsonGenerator generator) {
        Objects.requireNonNull(chunk, "chunk");
        Objects.requireNonNull(generator, "generator");
        ChunkGeneratorWriter.write(chunk, generator);
    }

    /** Writes the chunk's UTF-8 JSON to {@code out}; neither flushes nor closes it. */
    public static void write(StreamChunk chunk, OutputStream out) throws IOException {
        Objects.requireNonNull(out, "out");
        ChunkJsonWriter writer = new ChunkJsonWriter();
        writer.encode(chunk);
        writer.writeTo(out);
    }

    /** Reads one chunk from its JSON text; nothing but whitespace may follow the object. */
    public static StreamChunk parse(String json) {
        Objects.requireNonNull(json, "json");
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), json)) {
            return parseWhole(p);
        }
    }

    /** Reads one chunk from its UTF-8 JSON; nothing but whitespace may follow the object. */
    public static StreamChunk parse(byte[] json) {
        Objects.requireNonNull(json, "json");
        return parse(json, 0, json.length);
    }

    /** Reads one chunk from {@code length} bytes of UTF-8 JSON starting at {@code offset}. */
    public static StreamChunk parse(byte[] json, int offset, int length) {
        Objects.requireNonNull(json, "json");
        Objects.checkFromIndexSize(offset, length, json.length);
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), json, offset, length)) {
            return parseWhole(p);
        }
    }

    /**
     * Reads one chunk object from {@code parser}: the one starting at its current
     * {@code START_OBJECT} token, or, if the parser has no current token yet, the next value. On
     * return the parser is positioned on the object's {@code END_OBJECT}, so a caller can read a
     * sequence of chunks from one parser. The parser is not closed.
     */
    public static StreamChunk parse(JsonParser parser) {
        Objects.requireNonNull(parser, "parser");
        return ChunkParser.read(parser);
    }

    private static StreamChunk parseWhole(JsonParser p) {
        StreamChunk chunk = ChunkParser.read(p);
        try {
            JsonToken trailing = p.nextToken();
            if (trailing != null) {
                throw new ChunkParseException(null, "unexpected content after the chunk object", null);
            }
        } catch (JacksonException e) {
            throw new ChunkParseException(null, "malformed chunk JSON: " + ChunkParser.describe(e), e);
        }
        return chunk;
    }
}
