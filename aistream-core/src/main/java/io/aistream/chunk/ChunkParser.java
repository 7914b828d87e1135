package io.aistream.chunk;

import io.aistream.ErrorCode;
import io.aistream.json.Jackson;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.OptionalInt;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;

/**
 * Reads one chunk object from a streaming parser. Fields may come in any order, so values are
 * collected first and the chunk is built once the object is closed.
 *
 * <p>Whether a field means anything depends on the chunk's {@code type}: for a type this version
 * does not know, every field but {@code id} and {@code seq} is kept verbatim ({@link UnknownChunk}).
 * Writers put {@code type} third, so that is decided before the other fields come. A field that
 * comes before {@code type} (other than {@code id} and {@code seq}) is copied aside, together with
 * every field after it, and read once the type is known: in the order it came, so that the first
 * error reported is the same as if all were read in one pass.
 */
final class ChunkParser {
    private JsonParser p;
    /** Fields waiting for the type (see the class comment); null while there are none. */
    private RawJson.Capture pending;
    /** The {@code type} seen while fields were pending, if it was a string. */
    private String pendingType;
    /** The fields of an unknown type, once the type is known to be one. */
    private RawJson.Capture unknownFields;

    private String id;
    private long seq = -1;
    private String type;
    private String delta;
    private ToolCallDelta toolCall;
    private ChunkError error;
    private String finishReason;
    private Usage usage;
    private String provider;
    private String model;
    private String content;
    private String refusal;
    private long dropped;
    private boolean recovered;
    private ReasoningState state;
    private BigDecimal cost;

    private ChunkParser(JsonParser p) {
        this.p = p;
    }

    /** Reads the object at (or right after) the parser's position; leaves the parser on its END_OBJECT. */
    static StreamChunk read(JsonParser p) {
        try {
            return new ChunkParser(p).readChunk();
        } catch (JacksonException e) {
            throw new ChunkParseException(null, "malformed chunk JSON: " + describe(e), e);
        } catch (IllegalArgumentException e) {
            // A record rejected a value that passed the checks here: still the input's fault.
            throw new ChunkParseException(null, "invalid chunk: " + e.getMessage(), e);
        }
    }

    static String describe(JacksonException e) {
        String message = e.getOriginalMessage();
        var location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            message += " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        }
        return message;
    }

    private StreamChunk readChunk() {
        JsonToken start = p.currentToken() == null ? p.nextToken() : p.currentToken();
        if (start != JsonToken.START_OBJECT) {
            throw new ChunkParseException(null, "chunk must be a JSON object, found " + describe(start), null);
        }
        for (String name = p.nextName(); name != null; name = p.nextName()) {
            p.nextToken();
            if (pending != null) {
                if (name.equals("type") && p.currentToken() == JsonToken.VALUE_STRING) {
                    pendingType = p.getString();
                }
                pending.field(name, p);
            } else {
                field(name, true);
            }
        }
        if (pending != null) {
            replayPending();
        }
        return build();
    }

    /**
     * Reads the fields copied aside before the type came, in order. An unknown type keeps them
     * verbatim; a known, missing or mistyped one reads them as if they had come in one pass.
     */
    private void replayPending() {
        String fields = pending.finish();
        pending = null;
        if (pendingType != null && ChunkType.fromWire(pendingType).isEmpty()) {
            unknownFields = new RawJson.Capture();
        }
        JsonParser live = p;
        try (JsonParser replay = Jackson.factory().createParser(ObjectReadContext.empty(), fields)) {
            p = replay;
            p.nextToken();
            for (String name = p.nextName(); name != null; name = p.nextName()) {
                p.nextToken();
                field(name, false);
            }
        } finally {
            p = live;
        }
    }

    /** Reads one field; {@code mayDefer}: a type-dependent field before the type is copied aside. */
    private void field(String name, boolean mayDefer) {
        switch (name) {
            case "id" -> id = string("id");
            case "seq" -> seq = nonNegativeLong("seq", -1);
            case "type" -> {
                type = string("type");
                if (type != null
                        && unknownFields == null
                        && ChunkType.fromWire(type).isEmpty()) {
                    unknownFields = new RawJson.Capture();
                }
            }
            default -> {
                if (unknownFields != null) {
                    unknownFields.field(name, p);
                } else if (mayDefer && type == null) {
                    pending = new RawJson.Capture();
                    pending.field(name, p);
                } else {
                    typedField(name);
                }
            }
        }
    }

    /** A field whose meaning depends on the (known) type; unknown names are skipped. */
    private void typedField(String name) {
        switch (name) {
            case "delta" -> delta = string("delta");
            case "toolCall" -> toolCall = readToolCall();
            case "error" -> error = readError();
            case "finishReason" -> finishReason = string("finishReason");
            case "usage" -> usage = readUsage();
            case "provider" -> provider = string("provider");
            case "model" -> model = string("model");
            case "content" -> content = string("content");
            case "refusal" -> refusal = string("refusal");
            case "dropped" -> dropped = nonNegativeLong("dropped", 0);
            case "recovered" -> recovered = bool("recovered", false);
            case "state" -> state = readState();
            case "cost" -> cost = readCost();
            default -> p.skipChildren();
        }
    }

    private StreamChunk build() {
        require("id", id);
        if (seq < 0) {
            throw missing("seq");
        }
        require("type", type);
        if (unknownFields != null) {
            return new UnknownChunk(id, seq, type, unknownFields.finish());
        }
        return switch (ChunkType.fromWire(type).orElseThrow()) {
            case CONTENT -> new ContentChunk(id, seq, require("delta", delta), Optional.ofNullable(state));
            case REASONING -> new ReasoningChunk(id, seq, require("delta", delta), Optional.ofNullable(state));
            case TOOL_CALL -> new ToolCallChunk(id, seq, require("toolCall", toolCall), Optional.ofNullable(state));
            case ERROR -> new ErrorChunk(id, seq, require("error", error));
            case DONE -> {
                require("finishReason", finishReason);
                FinishReason reason = FinishReason.fromWire(finishReason)
                        .orElseThrow(() -> new ChunkParseException(
                                "finishReason",
                                "chunk field 'finishReason' has unknown value '" + finishReason + "'",
                                null));
                yield new DoneChunk(
                        id,
                        seq,
                        reason,
                        Optional.ofNullable(usage),
                        Optional.ofNullable(provider),
                        Optional.ofNullable(model),
                        Optional.ofNullable(content),
                        Optional.ofNullable(refusal),
                        dropped,
                        recovered,
                        Optional.ofNullable(cost));
            }
            case UNKNOWN -> throw new IllegalStateException("fromWire never gives UNKNOWN");
        };
    }

    private ToolCallDelta readToolCall() {
        if (!startObject("toolCall")) {
            return null;
        }
        int index = -1;
        String callId = null;
        String name = null;
        String arguments = null;
        for (String field = p.nextName(); field != null; field = p.nextName()) {
            p.nextToken();
            switch (field) {
                case "index" -> index = nonNegativeInt("toolCall.index");
                case "id" -> callId = string("toolCall.id");
                case "name" -> name = string("toolCall.name");
                case "argumentsDelta" -> arguments = string("toolCall.argumentsDelta");
                default -> p.skipChildren();
            }
        }
        if (index < 0) {
            throw missing("toolCall.index");
        }
        return new ToolCallDelta(
                index, Optional.ofNullable(callId), Optional.ofNullable(name), arguments == null ? "" : arguments);
    }

    private ReasoningState readState() {
        if (!startObject("state")) {
            return null;
        }
        String source = null;
        String signature = null;
        String redacted = null;
        String itemId = null;
        String encrypted = null;
        for (String field = p.nextName(); field != null; field = p.nextName()) {
            p.nextToken();
            switch (field) {
                case "source" -> source = string("state.source");
                case "signature" -> signature = string("state.signature");
                case "redacted" -> redacted = string("state.redacted");
                case "itemId" -> itemId = string("state.itemId");
                case "encryptedContent" -> encrypted = string("state.encryptedContent");
                default -> p.skipChildren();
            }
        }
        if (require("state.source", source).isBlank()) {
            throw new ChunkParseException("state.source", "chunk field 'state.source' must not be blank", null);
        }
        return new ReasoningState(
                source,
                Optional.ofNullable(signature),
                Optional.ofNullable(redacted),
                Optional.ofNullable(itemId),
                Optional.ofNullable(encrypted));
    }

    private BigDecimal readCost() {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw wrongType("cost", "a number");
        }
        BigDecimal value = p.getDecimalValue();
        if (value.signum() < 0) {
            throw new ChunkParseException("cost", "chunk field 'cost' must not be negative", null);
        }
        return value;
    }

    private ChunkError readError() {
        if (!startObject("error")) {
            return null;
        }
        String code = null;
        String message = null;
        Boolean retryable = null;
        String errorProvider = null;
        Integer status = null;
        for (String field = p.nextName(); field != null; field = p.nextName()) {
            p.nextToken();
            switch (field) {
                case "code" -> code = string("error.code");
                case "message" -> message = string("error.message");
                case "retryable" ->
                    retryable = p.currentToken() == JsonToken.VALUE_NULL ? null : bool("error.retryable", false);
                case "provider" -> errorProvider = string("error.provider");
                case "status" ->
                    status = p.currentToken() == JsonToken.VALUE_NULL ? null : nonNegativeInt("error.status");
                default -> p.skipChildren();
            }
        }
        String errorCode = require("error.code", code);
        require("error.message", message);
        // A writer always sends retryable; a hand-made chunk without it gets the code's default.
        boolean retry = retryable != null
                ? retryable
                : ErrorCode.fromWire(errorCode)
                        .map(ErrorCode::retryableByDefault)
                        .orElse(false);
        return new ChunkError(
                errorCode,
                message,
                retry,
                Optional.ofNullable(errorProvider),
                status == null ? OptionalInt.empty() : OptionalInt.of(status));
    }

    private Usage readUsage() {
        if (!startObject("usage")) {
            return null;
        }
        long input = 0;
        long output = 0;
        long total = -1;
        long cacheRead = 0;
        long cacheWrite = 0;
        long reasoningTokens = 0;
        for (String field = p.nextName(); field != null; field = p.nextName()) {
            p.nextToken();
            switch (field) {
                case "inputTokens" -> input = nonNegativeLong("usage.inputTokens", 0);
                case "outputTokens" -> output = nonNegativeLong("usage.outputTokens", 0);
                case "totalTokens" -> total = nonNegativeLong("usage.totalTokens", -1);
                case "cacheReadTokens" -> cacheRead = nonNegativeLong("usage.cacheReadTokens", 0);
                case "cacheWriteTokens" -> cacheWrite = nonNegativeLong("usage.cacheWriteTokens", 0);
                case "reasoningTokens" -> reasoningTokens = nonNegativeLong("usage.reasoningTokens", 0);
                default -> p.skipChildren();
            }
        }
        return new Usage(input, output, total < 0 ? input + output : total, cacheRead, cacheWrite, reasoningTokens);
    }

    /** True on START_OBJECT, false on null (absent); anything else is a type error. */
    private boolean startObject(String field) {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return false;
        }
        if (t != JsonToken.START_OBJECT) {
            throw wrongType(field, "an object");
        }
        return true;
    }

    private String string(String field) {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            return p.getString();
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw wrongType(field, "a string");
    }

    private boolean bool(String field, boolean ifNull) {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
            return t == JsonToken.VALUE_TRUE;
        }
        if (t == JsonToken.VALUE_NULL) {
            return ifNull;
        }
        throw wrongType(field, "a boolean");
    }

    private long nonNegativeLong(String field, long ifNull) {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return ifNull;
        }
        if (t != JsonToken.VALUE_NUMBER_INT) {
            throw wrongType(field, "an integer");
        }
        JsonParser.NumberType type = p.getNumberType();
        if (type != JsonParser.NumberType.INT && type != JsonParser.NumberType.LONG) {
            throw new ChunkParseException(field, "chunk field '" + field + "' is out of range", null);
        }
        long value = p.getLongValue();
        if (value < 0) {
            throw new ChunkParseException(field, "chunk field '" + field + "' must not be negative", null);
        }
        return value;
    }

    private int nonNegativeInt(String field) {
        long value = nonNegativeLong(field, -1);
        if (value < 0) {
            throw wrongType(field, "an integer");
        }
        if (value > Integer.MAX_VALUE) {
            throw new ChunkParseException(field, "chunk field '" + field + "' is out of range", null);
        }
        return (int) value;
    }

    private static <T> T require(String field, T value) {
        if (value == null) {
            throw missing(field);
        }
        return value;
    }

    private static ChunkParseException missing(String field) {
        return new ChunkParseException(field, "chunk field '" + field + "' is missing", null);
    }

    private ChunkParseException wrongType(String field, String expected) {
        return new ChunkParseException(
                field,
                "chunk field '" + field + "' must be " + expected + ", found " + describe(p.currentToken()),
                null);
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "end of input";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a decimal number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.name();
        };
    }
}
