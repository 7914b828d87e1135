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
    static final SerializedString CACHE_READ = new SerializedString("cacheReadTokens");
    static final SerializedString CACHE_WRITE = new SerializedString("cacheWriteTokens");
    static final SerializedString REASONING_TOKENS = new SerializedString("reasoningTokens");
    static final SerializedString STATE = new SerializedString("state");
    static final SerializedString SOURCE = new SerializedString("source");
    static final SerializedString SIGNATURE = new SerializedString("signature");
    static final SerializedString REDACTED = new SerializedString("redacted");
    static final SerializedString ITEM_ID = new SerializedString("itemId");
    static final SerializedString ENCRYPTED = new SerializedString("encryptedContent");
    static final SerializedString COST = new SerializedString("cost");
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
                state(c.state(), g);
            }
            case ReasoningChunk r -> {
                g.writeName(DELTA);
                g.writeString(r.delta());
                state(r.state(), g);
            }
            case ToolCallChunk t -> {
                toolCall(t.toolCall(), g);
                state(t.state(), g);
            }
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

    private static void state(Optional<ReasoningState> state, JsonGenerator g) {
        if (state.isEmpty()) {
            return;
        }
        ReasoningState st = state.get();
        g.writeName(STATE);
        g.writeStartObject();
        g.writeName(SOURCE);
        g.writeString(st.source());
        optionalString(SIGNATURE, st.signature(), g);
        optionalString(REDACTED, st.redacted(), g);
        optionalString(ITEM_ID, st.itemId(), g);
        optionalString(ENCRYPTED, st.encryptedContent(), g);
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
            positive(CACHE_READ, u.cacheReadTokens(), g);
            positive(CACHE_WRITE, u.cacheWriteTokens(), g);
            positive(REASONING_TOKENS, u.reasoningTokens(), g);
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
        if (d.cost().isPresent()) {
            g.writeName(COST);
            g.writeNumber(d.cost().get().toPlainString());
        }
    }

    private static void positive(SerializableString name, long value, JsonGenerator g) {
        if (value > 0) {
            g.writeName(name);
            g.writeNumber(value);
        }
    }

    private static void optionalString(SerializableString name, Optional<String> value, JsonGenerator g) {
        if (value.isPresent()) {
            g.writeName(name);
            g.writeString(value.get());
        }
    }
}
