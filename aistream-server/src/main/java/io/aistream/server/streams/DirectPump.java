package io.aistream.server.streams;

import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.server.http.ClientGone;
import io.aistream.server.http.HttpExchange;
import io.aistream.stream.ChatStream;

/**
 * Pulls a host application's own {@link ChatStream} (one that did not go through the stream service)
 * into a protocol's writer on the calling thread: the client going away, or a failed write, aborts
 * the stream (which cancels its upstream); the stream is closed when the pump returns.
 */
public final class DirectPump {
    /** One protocol's response writer for one stream. */
    public interface Session extends AutoCloseable {
        /** Writes a chunk as the protocol's events and flushes; false if the client is gone. */
        boolean send(StreamChunk chunk);

        /** Writes what follows the done chunk (e.g. {@code [DONE]}); false if the client is gone. */
        boolean finish();

        /** Stops the keep-alives and ends the response (its last write). */
        @Override
        void close();
    }

    /** Opens the session (sets the headers; may write the opening events). */
    @FunctionalInterface
    public interface Opener {
        Session open(Runnable onClientGone);
    }

    private DirectPump() {}

    /** Streams {@code stream} into the session {@code opener} opens; blocks until the stream ended or the client left. */
    public static void pump(ChatStream stream, HttpExchange exchange, Opener opener) {
        try (stream) {
            Runnable gone = stream::abort;
            Session session = opener.open(gone);
            ClientGone watcher = exchange.response().watchClient(gone);
            // the watcher is closed before the session's last write (resources close in reverse; closing
            // twice is harmless): see HttpResponse#watchClient
            try (session;
                    watcher) {
                for (StreamChunk chunk : stream) {
                    if (!session.send(chunk)) {
                        stream.abort();
                        return;
                    }
                    if (chunk instanceof DoneChunk) {
                        watcher.close();
                        session.finish();
                        return;
                    }
                }
            }
        }
    }
}
