package io.aistream.server.ws;

import io.aistream.chunk.ChunkJsonWriter;
import io.aistream.chunk.StreamChunk;
import io.aistream.json.JsonFieldException;
import io.aistream.json.JsonFieldReader;
import io.aistream.request.ChatRequestJson;
import io.aistream.request.InvalidRequestException;
import io.aistream.server.http.ApiError;
import io.aistream.server.http.Responses;
import io.aistream.server.streams.StreamRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The WebSocket protocol's messages: reading the client's, writing the server's.
 *
 * <pre>
 * client → {"type":"start","stream":"a","request":{…body of POST /v1/stream…}}
 *          {"type":"abort","stream":"a"}
 *          {"type":"resume","stream":"a" | "st_…","after":41}
 * server → {"stream":"a","id":"st_…","seq":0,"type":"content","delta":"Hel"}   (a chunk, tagged)
 *          {"type":"error","stream":"a" | null,"error":{"code":"…","message":"…","field":"…","status":400}}
 * </pre>
 */
final class WsMessages {
    static final int MAX_STREAM_NAME = WsNames.MAX_LENGTH;
    private static final Set<String> START_FIELDS = Set.of("type", "stream", "request");
    private static final Set<String> ABORT_FIELDS = Set.of("type", "stream");
    private static final Set<String> RESUME_FIELDS = Set.of("type", "stream", "after");
    private static final Map<String, String> FIELD_PROBLEMS = Map.of(
            "", "a message must be a JSON object",
            "type", "\"type\" is required: start, abort or resume",
            "stream",
                    "\"stream\" is required: a string of 1 to " + MAX_STREAM_NAME
                            + " characters naming the stream on this socket",
            "request", "\"request\" is required: the body of POST /v1/stream",
            "after", "\"after\" must be the seq of the last chunk received (-1 for none)");

    private WsMessages() {}

    /** A client message. */
    sealed interface ClientMessage permits Start, Abort, Resume {
        String stream();
    }

    record Start(String stream, StreamRequest request) implements ClientMessage {}

    record Abort(String stream) implements ClientMessage {}

    record Resume(String stream, long after) implements ClientMessage {}

    /**
     * A message the server refuses: answered with an error message; {@code closeCode} &gt; 0 means
     * the socket is then closed with that code.
     */
    static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        final transient Optional<String> stream;
        final String code;
        final transient Optional<String> field;
        final int closeCode;

        Refusal(Optional<String> stream, String code, String message, Optional<String> field, int closeCode) {
            super(message, null, false, false);
            this.stream = stream;
            this.code = code;
            this.field = field;
            this.closeCode = closeCode;
        }
    }

    /** Reads one text message. */
    static ClientMessage parse(String text) throws Refusal {
        JsonNode root;
        try {
            root = ChatRequestJson.readTree(text);
        } catch (InvalidRequestException e) {
            throw new Refusal(
                    Optional.empty(),
                    "invalid_json",
                    "the message is not JSON: " + e.getMessage(),
                    Optional.empty(),
                    1003);
        }
        // read leniently first, so that even a refused message's error names its stream when it can
        Optional<String> stream = Optional.ofNullable(root.get("stream"))
                .filter(JsonNode::isString)
                .map(JsonNode::stringValue)
                .filter(n -> WsNames.problem(n).isEmpty());
        Optional<String> nameProblem = Optional.ofNullable(root.get("stream"))
                .filter(JsonNode::isString)
                .flatMap(n -> WsNames.problem(n.stringValue()));
        String type = null;
        try {
            JsonFieldReader message = JsonFieldReader.root(root, "a message");
            type = message.requiredString("type");
            message.allowOnly(
                    switch (type) {
                        case "start" -> START_FIELDS;
                        case "abort" -> ABORT_FIELDS;
                        case "resume" -> RESUME_FIELDS;
                        default ->
                            throw refusal(
                                    stream,
                                    "unknown_type",
                                    "unknown message type '" + type + "'; expected start, abort or resume",
                                    "type");
                    });
            if (nameProblem.isPresent()) {
                // the name is not echoed: it is what is wrong
                throw refusal(Optional.empty(), "invalid_stream_name", nameProblem.get(), "stream");
            }
            String name = stream.orElseThrow(() -> message.missing("stream"));
            return switch (type) {
                case "start" -> new Start(name, request(stream, message.requiredObject("request")));
                case "abort" -> new Abort(name);
                default ->
                    new Resume(
                            name,
                            message.optional("after")
                                    .map(a -> a.asLong(-1, Long.MAX_VALUE))
                                    .orElse(-1L));
            };
        } catch (JsonFieldException e) {
            throw refusal(stream, type, e);
        }
    }

    private static StreamRequest request(Optional<String> stream, JsonFieldReader request) throws Refusal {
        try {
            return StreamRequest.parse(request.node());
        } catch (InvalidRequestException e) {
            throw refusal(
                    stream,
                    "invalid_request",
                    e.getMessage(),
                    e.field().map(f -> "request." + f).orElse("request"));
        }
    }

    /**
     * The protocol's wording of a field error: one sentence per field, whatever is wrong with it
     * (missing, mistyped or out of range), since each field has a single shape a client must send.
     */
    private static Refusal refusal(Optional<String> stream, String type, JsonFieldException e) {
        String message = e.reason() == JsonFieldException.Reason.UNKNOWN_FIELD
                ? "unknown field in a " + type + " message"
                : FIELD_PROBLEMS.getOrDefault(e.path(), e.getMessage());
        return refusal(stream, "invalid_request", message, e.field().orElse(null));
    }

    private static Refusal refusal(Optional<String> stream, String code, String message, String field) {
        return new Refusal(stream, code, message, Optional.ofNullable(field), 0);
    }

    /** {@code {"type":"error","stream":…,"error":{…}}}; {@code status} is the HTTP status the same refusal has over HTTP (0: none). */
    static String error(Optional<String> stream, String code, String message, Optional<String> field, int status) {
        ObjectNode root = Responses.JSON.createObjectNode();
        root.put("type", "error");
        if (stream.isPresent()) {
            root.put("stream", stream.get());
        } else {
            root.putNull("stream");
        }
        ObjectNode e = root.putObject("error");
        e.put("code", code);
        e.put("message", message);
        field.ifPresent(f -> e.put("field", f));
        if (status > 0) {
            e.put("status", status);
        }
        return Responses.JSON.writeValueAsString(root);
    }

    static String error(Optional<String> stream, ApiError error) {
        return error(stream, error.code(), error.message(), error.field(), error.status());
    }

    /** The UTF-8 length of a (short, control) message. */
    static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * Writes one stream's chunks as server messages: the chunk's JSON (from {@link ChunkJsonWriter},
     * no tree) behind a {@code "stream"} field. Not thread-safe: one per stream task.
     */
    static final class ChunkEncoder {
        private final byte[] prefix;
        private final ChunkJsonWriter json = new ChunkJsonWriter();
        private byte[] out = new byte[512];
        private int length;

        ChunkEncoder(String stream) {
            // {"stream":"<name>",  then the chunk's JSON without its opening brace
            byte[] name = Responses.JSON.writeValueAsBytes(stream);
            byte[] head = "{\"stream\":".getBytes(StandardCharsets.US_ASCII);
            prefix = Arrays.copyOf(head, head.length + name.length + 1);
            System.arraycopy(name, 0, prefix, head.length, name.length);
            prefix[prefix.length - 1] = ',';
        }

        /** The message for {@code chunk}; its UTF-8 length is then {@link #length()}. */
        String encode(StreamChunk chunk) {
            int n = json.encode(chunk);
            length = prefix.length + n - 1;
            if (out.length < length || out.length > 64 * 1024 && length < 1024) {
                out = new byte[Math.max(512, length)];
            }
            System.arraycopy(prefix, 0, out, 0, prefix.length);
            System.arraycopy(json.buffer(), 1, out, prefix.length, n - 1);
            return new String(out, 0, length, StandardCharsets.UTF_8);
        }

        int length() {
            return length;
        }
    }
}
