package io.aistream.chunk;

import io.aistream.json.Jackson;
import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * A chunk of a {@code type} this version of aistream does not know, as a newer server may send:
 * kept, not dropped and not an error, so that an older client can still read the stream. It carries
 * the chunk's JSON so that writing it (SSE, WebSocket, a resume buffer) sends on exactly what came
 * in, re-stamped with its stream id and seq.
 *
 * <p>Nothing in aistream acts on it: {@link Accumulator} ignores it, the stream operators pass it on
 * like any chunk that is not a text delta, providers never produce it, and a gateway endpoint whose
 * protocol has no place for it (OpenAI, UI message stream) skips it.
 *
 * <p>JSON: {@code {"id":…,"seq":…,"type":<wireType>, …fields}}. Parsing then writing gives the same
 * JSON value, with the fields in the order they came; input already in the compact form
 * {@link ChunkJson} writes (id, seq, type first) comes out byte for byte.
 *
 * @param id       the stream id
 * @param seq      the position in the stream
 * @param wireType the {@code type} as sent; never one of the known {@link ChunkType} wire names
 * @param fields   every other field of the chunk, in order, as the text of one JSON object
 *                 ({@code {}} for none); it must not hold {@code id}, {@code seq} or {@code type}.
 *                 Kept compact: whitespace between tokens is dropped, strings are escaped as
 *                 {@link ChunkJson} escapes them, numbers keep their text.
 */
public record UnknownChunk(String id, long seq, String wireType, String fields) implements StreamChunk {
    /**
     * @throws IllegalArgumentException if {@code wireType} names a known type or {@code fields} is not
     *                                  a JSON object without {@code id}, {@code seq} and {@code type}
     */
    public UnknownChunk {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(wireType, "wireType");
        Objects.requireNonNull(fields, "fields");
        if (ChunkType.fromWire(wireType).isPresent()) {
            throw new IllegalArgumentException("'" + wireType + "' is a known chunk type, not an unknown one");
        }
        fields = RawJson.compact(fields);
    }

    @Override
    public ChunkType type() {
        return ChunkType.UNKNOWN;
    }

    @Override
    public UnknownChunk withPosition(String id, long seq) {
        return new UnknownChunk(id, seq, wireType, fields);
    }

    /** The other fields as a new, mutable JSON tree (a copy: changing it changes nothing here). */
    public ObjectNode fieldsTree() {
        return (ObjectNode) Jackson.mapper().readTree(fields);
    }
}
