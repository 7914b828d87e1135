package io.aistream.server.openai;

import io.aistream.chunk.StreamChunk;
import io.aistream.server.http.HttpExchange;
import io.aistream.server.streams.DirectPump;
import io.aistream.stream.ChatStream;
import io.aistream.stream.TimeSource;
import java.time.Duration;

/** A host application's own {@link ChatStream} written as OpenAI Chat Completions chunks (see {@link OpenAiSse}). */
public final class OpenAiChatResponses {
    private OpenAiChatResponses() {}

    /** Writes the whole stream, with a usage chunk when {@code includeUsage}; blocks. */
    public static void write(
            ChatStream stream,
            HttpExchange exchange,
            String model,
            boolean includeUsage,
            Duration keepAlive,
            TimeSource time) {
        DirectPump.pump(stream, exchange, gone -> {
            OpenAiSse sse = OpenAiSse.open(
                    exchange.response(),
                    stream.id(),
                    "chatcmpl-" + stream.id(),
                    System.currentTimeMillis() / 1000,
                    model,
                    includeUsage,
                    time,
                    keepAlive,
                    gone);
            return new DirectPump.Session() {
                @Override
                public boolean send(StreamChunk chunk) {
                    return !sse.failed() && sse.send(chunk);
                }

                @Override
                public boolean finish() {
                    return true; // the done chunk's events end with [DONE]
                }

                @Override
                public void close() {
                    sse.close();
                }
            };
        });
    }
}
