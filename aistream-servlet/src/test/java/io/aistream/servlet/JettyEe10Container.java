package io.aistream.servlet;

import io.aistream.server.assembly.GatewayRoutes;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Jetty 12's Servlet 6 container (ee10): one context at the root, the servlet with async support,
 * Jakarta WebSocket configured, and %2F inside a segment let through (URI compliance with
 * {@code AMBIGUOUS_PATH_SEPARATOR}, and the servlet handler decoding ambiguous URIs).
 */
final class JettyEe10Container implements Container {
    private final Server server;
    private final ServerConnector connector;

    private JettyEe10Container(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    static Container start(GatewayRoutes routes, String mapping) throws Exception {
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        // let %2F inside a segment through (Jetty refuses an ambiguous path separator by default)
        http.setUriCompliance(UriCompliance.DEFAULT.with("aistream", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.getServletHandler().setDecodeAmbiguousURIs(true);
        ServletHolder holder = new ServletHolder(new AistreamServlet(routes));
        holder.setAsyncSupported(true);
        context.addServlet(holder, mapping);
        JakartaWebSocketServletContainerInitializer.configure(context, null);
        server.setHandler(context);
        server.start();
        return new JettyEe10Container(server, connector);
    }

    @Override
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the container did not stop", e);
        }
    }
}
