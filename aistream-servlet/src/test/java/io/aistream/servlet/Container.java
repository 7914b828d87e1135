package io.aistream.servlet;

import io.aistream.server.assembly.GatewayRoutes;

/** A Servlet container on a free loopback port with an {@link AistreamServlet} mounted. */
interface Container extends AutoCloseable {
    /** Starts a container serving {@code routes} at {@code mapping} ({@code /*} or {@code /ai/*}). */
    @FunctionalInterface
    interface Starter {
        Container start(GatewayRoutes routes, String mapping) throws Exception;
    }

    int port();

    /** Stops the container; a failure to stop is an {@link IllegalStateException}. */
    @Override
    void close();
}
