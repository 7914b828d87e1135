/**
 * The aistream gateway's routes in any Jakarta Servlet 6 container: {@link io.aistream.servlet.ServletGateway}
 * (for a host framework that routes itself) and {@link io.aistream.servlet.AistreamServlet} (for a plain
 * container). The container supplies the Servlet and WebSocket APIs.
 */
module io.aistream.servlet {
    requires transitive io.aistream.server;
    requires transitive jakarta.servlet;
    requires jakarta.websocket;
    requires org.slf4j;
    // Jetty's core API, present through the gateway: the ee10 connection watch (JettyCoreWatch)
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.io;
    requires org.eclipse.jetty.util;
    requires org.eclipse.jetty.http;

    exports io.aistream.servlet;
    // not API: containers reach the WebSocket endpoint reflectively
    opens io.aistream.servlet.ws;
}
