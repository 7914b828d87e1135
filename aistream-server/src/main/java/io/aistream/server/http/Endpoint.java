package io.aistream.server.http;

/**
 * One gateway endpoint. {@link #handle} runs on a virtual thread and may block; it writes the whole
 * response before it returns (or throws an {@link ApiError.Failure}, or its protocol's own error
 * carrier, before writing anything, which the {@link Dispatcher} answers through the route's
 * {@link ErrorWriter}). Anything else it throws becomes a 500 without details.
 */
@FunctionalInterface
public interface Endpoint {
    void handle(Exchange exchange) throws Exception;
}
