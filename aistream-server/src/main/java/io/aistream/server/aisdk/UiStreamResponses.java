package io.aistream.server.aisdk;

import io.aistream.chunk.StreamChunk;
import io.aistream.server.http.HttpExchange;
import io.aistream.server.streams.DirectPump;
import io.aistream.stream.ChatStream;
import io.aistream.stream.TimeSource;
import java.time.Duration;

/** A host application's own {@link ChatStream} written as the AI SDK UI message stream (see {@link UiStreamEncoder}). */
public final class UiStreamResponses {
    private UiStreamResponses() {}

    /** Writes the whole stream as one assistant message; blocks. */
    public static void write(
            ChatStream stream,
            HttpExchange exchange,
            String provider,
            String model,
            Duration keepAlive,
            TimeSource time) {
        DirectPump.pump(stream, exchange, gone -> {
            UiStreamSession session = UiStreamSession.open(exchange.response(), stream.id(), time, keepAlive, gone);
            UiStreamEncoder encoder = new UiStreamEncoder(
                    stream.id(), UiStreamEncoder.messageIdFor(stream.id()), provider, model, UiStreamOptions.DEFAULT);
            boolean opened = session.send(encoder.start());
            return new DirectPump.Session() {
                @Override
                public boolean send(StreamChunk chunk) {
                    return opened && session.send(encoder.next(chunk));
                }

                @Override
                public boolean finish() {
                    return session.sendDone();
                }

                @Override
                public void close() {
                    session.close();
                }
            };
        });
    }
}
