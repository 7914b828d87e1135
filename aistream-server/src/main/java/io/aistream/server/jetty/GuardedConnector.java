package io.aistream.server.jetty;

import io.aistream.server.config.ConnectionConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's connector: Jetty's {@link ServerConnector} whose endpoints are
 * {@link GuardedEndPoint}s (the request-header deadline), and which refuses a connection from an
 * address that already holds {@link ConnectionConfig#maxConnectionsPerAddress()}: such a connection
 * is closed right after it is accepted, before any byte is read (cheap under a flood; the client sees
 * its connection closed). The total is limited separately, by Jetty's {@code NetworkConnectionLimit}.
 */
final class GuardedConnector extends ServerConnector {
    private static final Logger LOG = LoggerFactory.getLogger(GuardedConnector.class);

    private final Duration headerTimeout;
    private final AddressLimit perAddress;

    GuardedConnector(Server server, ConnectionConfig limits, ConnectionFactory... factories) {
        super(server, factories);
        this.headerTimeout = limits.requestHeaderTimeout();
        this.perAddress = new AddressLimit(limits.maxConnectionsPerAddress());
    }

    @Override
    protected SocketChannelEndPoint newEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key)
            throws IOException {
        InetAddress address = perAddress.enabled() ? remoteAddress(channel) : null;
        if (address != null && !perAddress.acquire(address)) {
            LOG.debug("refused a connection from {}: it holds the most connections one address may", address);
            // the selector closes the channel; Jetty logs this at debug level only
            throw new RefusedConnectionException(address);
        }
        Runnable release = address == null ? () -> {} : () -> perAddress.release(address);
        try {
            GuardedEndPoint endPoint =
                    new GuardedEndPoint(channel, selector, key, getScheduler(), headerTimeout, release);
            endPoint.setIdleTimeout(getIdleTimeout());
            return endPoint;
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
    }

    /** Connections open per address (tests, diagnostics). */
    AddressLimit perAddress() {
        return perAddress;
    }

    private static InetAddress remoteAddress(SocketChannel channel) {
        try {
            return channel.getRemoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
        } catch (IOException e) {
            return null; // already closed: nothing to count
        }
    }

    /** A connection beyond the per-address limit; thrown to make Jetty close it. No stack trace. */
    static final class RefusedConnectionException extends IOException {
        private static final long serialVersionUID = 1L;

        RefusedConnectionException(InetAddress address) {
            super("too many connections from " + address.getHostAddress());
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
