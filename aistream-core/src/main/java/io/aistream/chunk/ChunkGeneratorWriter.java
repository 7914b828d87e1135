package io.aistream.chunk;

import java.util.Optional;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;

/** Writes a chunk through a caller's Jackson generator, in the field order {@link ChunkJson} documents. */
final class ChunkGeneratorWriter {
    static final SerializedString ID = new SerializedString("id");
    static final SerializedString SEQ = new SerializedString("seq");
    static final SerializedString TYPE = new SerializedString("type");
    static final SerializedString DELTA = new SerializedString("delta");
    static final SerializedString TOOL_CALL = new SerializedString("toolCall");
    static final SerializedString INDEX = new SerializedString("index");
    static final SerializedString NAME = new SerializedString("name");
    static final SerializedString ARGUMENTS_DELTA = new SerializedString("argumentsDelta");
    static final SerializedString ERROR = new SerializedString("error");
    static final SerializedString CODE = new SerializedString("code");
    static final SerializedString MESSAGE = new SerializedString("message");
    static final SerializedString RETRYABLE = new SerializedString("retryable");
    static final SerializedString PROVIDER = new SerializedString("provider");
    static final SerializedString STATUS = new SerializedString("status");
    static final SerializedString FINISH_REASON = new SerializedString("finishReason");
    static final SerializedString USAGE = new SerializedString("usage");
    static final SerializedString INPUT_TOKENS = new SerializedString("inputTokens");
    static final SerializedString OUTPUT_TOKENS = new SerializedString("outputTokens");
    static final SerializedString TOTAL_TOKENS = new SerializedString("totalTokens");
    static final SerializedString MODEL = new SerializedString("model");
    static final SerializedString CONTENT = new SerializedString("content");
    static final SerializedString REFUSAL = new SerializedString("refusal");
    static final SerializedString DROPPED = new SerializedString("dropped");
    static final SerializedString RECOVERED = new SerializedString("recovered");

    private ChunkGeneratorWriter() {}

    static void write(StreamChunk chunk, JsonGenerator g) {
        g.writeStartObject();
        g.writeName(ID);
        g.writeString(chunk.id());
        g.writeName(SEQ);
        g.writeNumber(chunk.seq());
        g.writeName(TYPE);
        g.writeString(
                chunk instanceof UnknownChunk u ? u.wireType() : chunk.type().wireName());
        switch (chunk) {
            case ContentChunk c -> {
                g.writeName(DELTA);
                g.writeString(c.delta());
            }
            case ReasoningChunk r -> {
                g.writeName(DELTA);
                g.writeString(r.delta());
            }
            case ToolCallChunk t -> toolCall(t.toolCall(), g);
            case ErrorChunk e -> error(e.error(), g);
            case DoneChunk d -> done(d, g);
            case UnknownChunk u -> RawJson.copyFields(u.fields(), g);
        }
        g.writeEndObject();
    }

    private static void toolCall(ToolCallDelta t, JsonGenerator g) {
        g.writeName(TOOL_CALL);
        g.writeStartObject();
        g.writeName(INDEX);
        g.writeNumber(t.index());
        optionalString(ID, t.callId(), g);
        optionalString(NAME, t.name(), g);
        if (!t.argumentsDelta().isEmpty()) {
            g.writeName(ARGUMENTS_DELTA);
            g.writeString(t.argumentsDelta());
        }
        g.writeEndObject();
    }

    private static void error(ChunkError e, JsonGenerator g) {
        g.writeName(ERROR);
        g.writeStartObject();
        g.writeName(CODE);
        g.writeString(e.code());
        g.writeName(MESSAGE);
        g.writeString(e.message());
        g.writeName(RETRYABLE);
        g.writeBoolean(e.retryable());
        optionalString(PROVIDER, e.provider(), g);
        if (e.status().isPresent()) {
            g.writeName(STATUS);
            g.writeNumber(e.status().getAsInt());
        }
        g.writeEndObject();
    }

    private static void done(DoneChunk d, JsonGenerator g) {
        g.writeName(FINISH_REASON);
        g.writeString(d.finishReason().wireName());
        if (d.usage().isPresent()) {
            Usage u = d.usage().get();
            g.writeName(USAGE);
            g.writeStartObject();
            g.writeName(INPUT_TOKENS);
            g.writeNumber(u.inputTokens());
            g.writeName(OUTPUT_TOKENS);
            g.writeNumber(u.outputTokens());
            g.writeName(TOTAL_TOKENS);
            g.writeNumber(u.totalTokens());
            g.writeEndObject();
        }
        optionalString(PROVIDER, d.provider(), g);
        optionalString(MODEL, d.model(), g);
        optionalString(CONTENT, d.content(), g);
        optionalString(REFUSAL, d.refusal(), g);
        if (d.dropped() > 0) {
            g.writeName(DROPPED);
            g.writeNumber(d.dropped());
        }
        if (d.recovered()) {
            g.writeName(RECOVERED);
            g.writeBoolean(true);
        }
    }

    private static void optionalString(SerializableString name, Optional<String> value, JsonGenerator g) {
        if (value.isPresent()) {
            g.writeName(name);
            g.writeString(value.get());
        }
    }
}
