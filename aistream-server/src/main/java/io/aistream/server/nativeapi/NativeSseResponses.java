package io.aistream.server.nativeapi;

import io.aistream.chunk.StreamChunk;
import io.aistream.server.http.HttpExchange;
import io.aistream.server.streams.DirectPump;
import io.aistream.stream.ChatStream;
import io.aistream.stream.TimeSource;
import java.time.Duration;

/** A host application's own {@link ChatStream} written as the native SSE protocol (see {@link SseSession}). */
public final class NativeSseResponses {
    private NativeSseResponses() {}

    /** Writes the whole stream; blocks. */
    public static void write(
            ChatStream stream, HttpExchange exchange, long retryMillis, Duration keepAlive, TimeSource time) {
        DirectPump.pump(stream, exchange, gone -> {
            SseSession sse = SseSession.open(exchange.response(), stream.id(), retryMillis, time, keepAlive, gone);
            return new DirectPump.Session() {
                @Override
                public boolean send(StreamChunk chunk) {
                    return sse.send(chunk);
                }

                @Override
                public boolean finish() {
                    return sse.sendDone();
                }

                @Override
                public void close() {
                    sse.close();
                }
            };
        });
    }
}
