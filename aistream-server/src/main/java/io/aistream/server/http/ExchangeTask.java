package io.aistream.server.http;

/**
 * Work a binding runs against one exchange outside the {@link Dispatcher}: a host application's own
 * handler that writes a stream (see {@code io.aistream.server.direct.StreamResponses}). The binding
 * runs it on a thread that may block (a virtual thread), with the response in streaming mode, and
 * ends the response when it returns.
 */
@FunctionalInterface
public interface ExchangeTask {
    /**
     * Writes the whole response.
     *
     * @throws Exception when the response could not be completed; the binding then ends or aborts it
     */
    void run(HttpExchange exchange) throws Exception;
}
