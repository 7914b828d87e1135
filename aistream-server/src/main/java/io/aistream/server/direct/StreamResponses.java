package io.aistream.server.direct;

import io.aistream.server.aisdk.UiStreamResponses;
import io.aistream.server.http.HttpExchange;
import io.aistream.server.nativeapi.NativeSseResponses;
import io.aistream.server.openai.OpenAiChatResponses;
import io.aistream.stream.ChatStream;
import io.aistream.stream.TimeSource;
import java.time.Duration;
import java.util.Objects;

/**
 * Writes a host application's own {@link ChatStream} (built in a controller, not started through the
 * gateway's endpoints) to a binding's {@link HttpExchange} in one of the gateway's protocols, byte for
 * byte as its endpoints write them: the native SSE protocol ({@code retry:}, {@code id:} per chunk,
 * {@code : keepalive}, {@code data: [DONE]}), OpenAI Chat Completions chunks, or the AI SDK UI message
 * stream. A Servlet or WebFlux binding runs these inside its {@code stream(…, ExchangeTask)}.
 *
 * <p><b>Threading and ownership.</b> Each method blocks the calling thread (a virtual thread of the
 * binding) until the stream ended or the client went away, and takes ownership of the stream: it
 * closes it before returning. The client going away (seen by the binding's
 * {@link io.aistream.server.http.HttpResponse#watchClient}, or a failed write) aborts the stream at
 * once, which cancels its upstream HTTP exchange.
 *
 * @param keepAlive   the idle time after which a keep-alive comment is written
 * @param retryMillis the native protocol's {@code retry:} hint
 * @param time        the clock of the keep-alive timer
 */
public record StreamResponses(Duration keepAlive, long retryMillis, TimeSource time) {
    /** The gateway's own defaults: a keep-alive after 15 s of silence, {@code retry: 3000}. */
    public static final StreamResponses DEFAULTS =
            new StreamResponses(Duration.ofSeconds(15), 3000, TimeSource.system());

    public StreamResponses {
        Objects.requireNonNull(keepAlive, "keepAlive");
        Objects.requireNonNull(time, "time");
        if (keepAlive.isNegative() || keepAlive.isZero()) {
            throw new IllegalArgumentException("keepAlive must be positive");
        }
        if (retryMillis < 0) {
            throw new IllegalArgumentException("retryMillis must not be negative");
        }
    }

    /** These settings with another keep-alive interval. */
    public StreamResponses withKeepAlive(Duration interval) {
        return new StreamResponses(interval, retryMillis, time);
    }

    /** Writes {@code stream} as the native SSE protocol (header {@code X-Stream-Id}: the stream's id). */
    public void nativeSse(ChatStream stream, HttpExchange exchange) {
        NativeSseResponses.write(stream, exchange, retryMillis, keepAlive, time);
    }

    /**
     * Writes {@code stream} as OpenAI {@code chat.completion.chunk} events ending with {@code data: [DONE]},
     * with a usage chunk (as for {@code stream_options.include_usage}).
     *
     * @param model the {@code model} every chunk names
     */
    public void openAiChat(ChatStream stream, HttpExchange exchange, String model) {
        OpenAiChatResponses.write(stream, exchange, model, true, keepAlive, time);
    }

    /**
     * Writes {@code stream} as the AI SDK UI message stream (protocol v1, header
     * {@code x-vercel-ai-ui-message-stream: v1}), one assistant message, as {@code useChat} reads it.
     *
     * @param provider the provider named in the stream's metadata
     * @param model    the model named in the stream's metadata
     */
    public void uiMessageStream(ChatStream stream, HttpExchange exchange, String provider, String model) {
        UiStreamResponses.write(stream, exchange, provider, model, keepAlive, time);
    }
}
