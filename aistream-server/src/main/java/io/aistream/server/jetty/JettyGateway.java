package io.aistream.server.jetty;

import io.aistream.server.assembly.GatewayRoutes;
import io.aistream.server.config.ServerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.resource.Resource;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway on Jetty 12 core: HTTP/1.1 and h2c on one port, a virtual-thread pool,
 * TCP_NODELAY, connection limits (in total, derived from the open-files limit unless configured, and per
 * client address), a request-header deadline and a minimum body rate, Jetty's WebSocket container, the JSON error handler and the demo
 * page's static files, around the HTTP-neutral {@link GatewayRoutes} (which it owns: stopping the
 * gateway drains its streams and closes its resume store). {@link io.aistream.server.AistreamServer}
 * is its public face.
 */
public final class JettyGateway {
    private static final Logger LOG = LoggerFactory.getLogger(JettyGateway.class);

    private final ServerConfig config;
    private final Server server;
    private final ServerConnector connector;
    private final GatewayRoutes routes;
    private final String boundHost;
    private final ConnectionBudget connectionBudget;

    private JettyGateway(ServerConfig config) throws UnknownHostException {
        this.config = config;
        this.boundHost = bindHost(config);
        this.routes = GatewayRoutes.create(config);

        QueuedThreadPool pool = new QueuedThreadPool(256, 8);
        pool.setName("aistream");
        pool.setVirtualThreadsExecutor(VirtualThreads.getNamedVirtualThreadsExecutor("aistream-request"));
        // a burst of connections grows the pool's platform threads (selector work, write completions); once
        // they have been idle for the pool's idle timeout, let them all go, not one per timeout
        pool.setMaxEvictCount(256);
        server = new Server(pool);
        server.setStopAtShutdown(false);

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // Jetty's header field cache is a trie built per connection (~100 KB of char[] each at its default size):
        // 80 MB of the heap at 1,000 streaming connections, to save a few string allocations per request
        http.setHeaderCacheSize(0);
        // an encoded '/' reaches the gateway (OpenAI clients send /v1/models/simulated%2Fecho); it stays
        // %2F inside its segment of the path (see HttpRequest#path), so it cannot route anywhere else
        http.setUriCompliance(UriCompliance.DEFAULT.with("aistream", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
        HttpConnectionFactory http1 = new HttpConnectionFactory(http);
        HTTP2CServerConnectionFactory h2c = new HTTP2CServerConnectionFactory(http);
        h2c.setMaxConcurrentStreams(1024);
        connector = new GuardedConnector(server, config.connections(), http1, h2c);
        connector.setHost(boundHost);
        connector.setPort(config.port());
        connector.setAcceptedTcpNoDelay(true);
        connector.setAcceptQueueSize(4096);
        connector.setIdleTimeout(config.idleTimeout().toMillis());
        server.addConnector(connector);
        connectionBudget = ConnectionBudget.resolve(config.maxConnections(), ConnectionBudget.openFilesLimit());
        server.addBean(new NetworkConnectionLimit(connectionBudget.maxConnections(), connector));
        server.setErrorHandler(new JsonErrorHandler(routes.dispatcher()));

        ServerWebSocketContainer webSockets = ServerWebSocketContainer.ensure(server);
        webSockets.setMaxTextMessageSize(config.webSocket().maxMessageBytes());
        webSockets.setMaxBinaryMessageSize(config.webSocket().maxMessageBytes());
        webSockets.setIdleTimeout(routes.webSocketIdleTimeout());
        server.setHandler(
                new GatewayHandler(routes.dispatcher(), webSockets, staticFiles(server), config.connections()));
    }

    /** Builds and starts a gateway. */
    public static JettyGateway start(ServerConfig config) throws IOException {
        JettyGateway gateway = new JettyGateway(config);
        try {
            gateway.server.start();
        } catch (IOException e) {
            gateway.routes.close();
            throw e;
        } catch (Exception e) {
            gateway.routes.close();
            throw new IOException("the gateway could not start: " + e.getMessage(), e);
        }
        if (gateway.connectionBudget.warning()) {
            LOG.warn(gateway.connectionBudget.explanation());
        } else {
            LOG.info(gateway.connectionBudget.explanation());
        }
        if (!config.authenticationRequired()) {
            LOG.info(
                    "no API keys configured: listening on loopback {} only, without authentication", gateway.boundHost);
        }
        LOG.info(
                "aistream gateway listening on http://{}:{} (HTTP/1.1, h2c); providers: {}",
                gateway.boundHost,
                gateway.port(),
                String.join(", ", config.providers().keySet()));
        return gateway;
    }

    private static String bindHost(ServerConfig config) throws UnknownHostException {
        if (config.authenticationRequired()) {
            return config.host();
        }
        InetAddress address = InetAddress.getByName(config.host());
        if (address.isLoopbackAddress()) {
            return config.host();
        }
        LOG.warn(
                "no API keys configured: binding to 127.0.0.1 instead of {} (set AISTREAM_API_KEYS to listen elsewhere)",
                config.host());
        return "127.0.0.1";
    }

    private static Handler staticFiles(Server server) {
        Resource base = ResourceFactory.of(server).newClassLoaderResource("aistream-demo/");
        if (base == null || !base.exists()) {
            return null;
        }
        ResourceHandler files = new ResourceHandler();
        files.setBaseResource(base);
        files.setDirAllowed(false);
        files.setWelcomeFiles(List.of("index.html"));
        return files;
    }

    /** The host the connector is bound to. */
    public String host() {
        return boundHost;
    }

    /** The port the connector listens on (the chosen one when configured as 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** The connection limit in force (the configured one, or the one derived from the open-files limit). */
    public int maxConnections() {
        return connectionBudget.maxConnections();
    }

    /** Streams running now. */
    public int activeStreams() {
        return routes.activeStreams();
    }

    /**
     * Stops gracefully: no new connections or streams, running streams may finish until the
     * deadline, the rest are aborted with done(aborted), then Jetty stops.
     */
    public void stop(Duration deadline) {
        try {
            connector.shutdown(); // stop accepting; open connections go on
            int aborted = routes.drain(deadline);
            if (aborted > 0) {
                LOG.info("aborted {} stream(s) still running at the shutdown deadline", aborted);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            routes.abortAll();
        } finally {
            try {
                // the graceful part is done above: what is left are idle keep-alive connections
                connector.getConnectedEndPoints().forEach(endPoint -> endPoint.close());
                server.setStopTimeout(1000);
                server.stop();
            } catch (Exception e) {
                LOG.warn("Jetty did not stop cleanly: {}", e.toString());
            }
            routes.close();
            LOG.info("aistream gateway stopped");
        }
    }

    /** Blocks until the server has stopped. */
    public void join() throws InterruptedException {
        server.join();
    }

    /** The configuration the gateway runs with. */
    public ServerConfig config() {
        return config;
    }
}
