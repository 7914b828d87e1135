package io.aistream.server.http;

/**
 * The "client went away" signal of one streaming response ({@link HttpResponse#watchClient}). Its
 * callback runs at most once; {@link #close()} stops the watching (idempotent).
 */
public interface ClientGone extends AutoCloseable {
    /** Whether the client was seen to go away. */
    boolean disconnected();

    /** Stops watching; must run before the response's last byte is written. Idempotent. */
    @Override
    void close();
}
