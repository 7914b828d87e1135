package io.aistream.servlet;

import io.aistream.server.assembly.GatewayRoutes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;

/**
 * Plain embedded Tomcat 11: one context at the root, the servlet with async support, Tomcat's
 * WebSocket container installed by its initializer, and {@code encodedSolidusHandling=passthrough} so
 * that {@code %2F} inside a segment reaches the gateway (Tomcat refuses it with 400 by default).
 */
final class TomcatContainer implements Container {
    private final Tomcat tomcat;
    private final Connector connector;

    private TomcatContainer(Tomcat tomcat, Connector connector) {
        this.tomcat = tomcat;
        this.connector = connector;
    }

    static Container start(GatewayRoutes routes, String mapping) throws Exception {
        Path base = Files.createTempDirectory("tomcat");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setEncodedSolidusHandling("passthrough");
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", base.toString());
        context.addServletContainerInitializer(new WsSci(), null);
        Wrapper servlet = Tomcat.addServlet(context, "aistream", new AistreamServlet(routes));
        servlet.setAsyncSupported(true);
        context.addServletMapping(mapping, "aistream");
        tomcat.start();
        return new TomcatContainer(tomcat, connector);
    }

    @Override
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (Exception e) {
            throw new IllegalStateException("the container did not stop", e);
        }
    }
}
