package io.aistream.spring;

import io.aistream.server.direct.StreamResponses;
import io.aistream.server.http.HttpExchange;
import io.aistream.stream.ChatStream;
import java.util.Objects;

/**
 * A {@link ChatStream} a controller returns, with the protocol to write it in (see
 * {@link AiStreamResponses}). The auto-configuration's return value handlers (Spring MVC and WebFlux)
 * write it; the stream is owned by the writer from then on and closed when it ended or the client left.
 * Immutable.
 */
public final class AiStreamResponse {
    /** The wire protocols a stream can be written in. */
    public enum Protocol {
        /** aistream's native SSE protocol ({@code id:} per chunk, keep-alives, {@code data: [DONE]}). */
        NATIVE_SSE,
        /** OpenAI Chat Completions {@code chat.completion.chunk} events. */
        OPENAI_CHAT,
        /** The AI SDK UI message stream ({@code useChat}). */
        UI_MESSAGE_STREAM
    }

    private final Protocol protocol;
    private final ChatStream stream;
    private final String provider;
    private final String model;

    AiStreamResponse(Protocol protocol, ChatStream stream, String provider, String model) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.stream = Objects.requireNonNull(stream, "stream");
        this.provider = Objects.requireNonNull(provider, "provider");
        this.model = Objects.requireNonNull(model, "model");
    }

    /** The protocol it is written in. */
    public Protocol protocol() {
        return protocol;
    }

    /** The stream. */
    public ChatStream stream() {
        return stream;
    }

    /** The provider named in the UI message stream's metadata. */
    public String provider() {
        return provider;
    }

    /** The model named in OpenAI chunks and the UI message stream's metadata. */
    public String model() {
        return model;
    }

    /**
     * Writes the stream to {@code exchange}; blocks the calling thread (a binding's virtual thread)
     * until it ended or the client left, and closes the stream.
     */
    public void writeTo(StreamResponses responses, HttpExchange exchange) {
        switch (protocol) {
            case NATIVE_SSE -> responses.nativeSse(stream, exchange);
            case OPENAI_CHAT -> responses.openAiChat(stream, exchange, model);
            case UI_MESSAGE_STREAM -> responses.uiMessageStream(stream, exchange, provider, model);
        }
    }
}
