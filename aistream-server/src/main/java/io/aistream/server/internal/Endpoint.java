package io.aistream.server.internal;

/**
 * One gateway endpoint. {@link #handle} runs on a virtual thread and may block; it writes the whole
 * response before it returns (or throws an {@link ApiError.Failure} before writing anything, which
 * {@link GatewayHandler} turns into the JSON error answer). Anything else it throws becomes a 500
 * without details.
 */
@FunctionalInterface
interface Endpoint {
    void handle(Exchange exchange) throws Exception;
}
