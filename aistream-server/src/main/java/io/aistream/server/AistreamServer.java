package io.aistream.server;

import io.aistream.server.config.ServerConfig;
import io.aistream.server.jetty.JettyGateway;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The aistream gateway as an embeddable server on Jetty 12: one endpoint in front of the configured
 * providers, speaking aistream's native SSE protocol, the OpenAI-compatible API, the Vercel AI SDK UI
 * message stream and aistream's WebSocket protocol. The protocols are HTTP-neutral (see
 * {@link io.aistream.server.assembly.GatewayRoutes} to mount the same routes on another HTTP server);
 * this class runs them on embedded Jetty.
 *
 * <pre>{@code
 * try (AistreamServer server = AistreamServer.start(ServerConfig.builder()
 *         .port(0)
 *         .provider(new SimulatedProvider(TimeSource.system(), 40))
 *         .build())) {
 *     System.out.println("listening on " + server.uri());
 *     server.join();
 * }
 * }</pre>
 *
 * <p><b>Endpoints.</b>
 * <ul>
 *   <li>{@code POST /v1/stream} — body: a native chat request (see
 *       {@link io.aistream.request.ChatRequestJson}) plus {@code provider} (required),
 *       {@code backpressure} ({@code block|buffer|drop|coalesce}), {@code bufferCapacity},
 *       {@code resumable} and {@code timeouts} ({@code firstChunkMs}, {@code idleMs}, {@code totalMs}).
 *       Answers {@code text/event-stream}: {@code retry:} once, per chunk {@code id: <seq>} and
 *       {@code data: <chunk json>} flushed one event at a time, {@code : keepalive} after the
 *       keep-alive interval of silence, {@code data: [DONE]} last; header {@code X-Stream-Id}.</li>
 *   <li>{@code GET /v1/streams/{id}} — resume after {@code Last-Event-ID} or {@code ?after=<seq>}.</li>
 *   <li>{@code DELETE /v1/streams/{id}} — abort.</li>
 *   <li>{@code POST /v1/chat/completions}, {@code GET /v1/models}, {@code GET /v1/models/{id}} —
 *       OpenAI's Chat Completions API and model list (errors in OpenAI's shape).</li>
 *   <li>{@code POST /v1/ui/chat}, {@code GET|DELETE /v1/ui/chat/{chatId}/stream} — the AI SDK's UI
 *       message stream, its resume and stop.</li>
 *   <li>{@code GET /v1/ws} — WebSocket, several streams per socket.</li>
 *   <li>{@code GET /health}, {@code GET /metrics} (Prometheus text), static files at {@code /}.</li>
 * </ul>
 * Errors before a stream begins are JSON: {@code {"error":{"code":…,"message":…,"field":…}}} (OpenAI's
 * routes: {@code {"error":{"message","type","param","code"}}}).
 *
 * <p><b>Safety.</b> With API keys configured every endpoint but {@code /health} and the static
 * files needs {@code Authorization: Bearer <key>} ({@code /v1/ws} also takes the key as
 * {@code ?access_token=} or a {@code bearer.<key>} sub-protocol); without keys the server binds to loopback only.
 * Browser origins must be on the CORS allow-list. Request bodies, concurrent streams per key and in
 * total, and connections are limited.
 *
 * <p>Thread-safe. {@link #close()} is an immediate {@link #stop(Duration)}.
 */
public final class AistreamServer implements AutoCloseable {
    private final JettyGateway gateway;
    private volatile boolean stopped;

    private AistreamServer(JettyGateway gateway) {
        this.gateway = gateway;
    }

    /**
     * Starts a server; returns once it accepts connections.
     *
     * @throws IOException if the port cannot be bound or the server fails to start
     */
    public static AistreamServer start(ServerConfig config) throws IOException {
        return new AistreamServer(JettyGateway.start(Objects.requireNonNull(config, "config")));
    }

    /** The port the server listens on (the one chosen when the configuration said 0). */
    public int port() {
        return gateway.port();
    }

    /** The host the server is bound to (loopback when no API keys are configured). */
    public String host() {
        return gateway.host();
    }

    /** The server's base URI, e.g. {@code http://127.0.0.1:8080/}. */
    public URI uri() {
        String host = host().contains(":") ? "[" + host() + "]" : host();
        return URI.create("http://" + host + ":" + port() + "/");
    }

    /** The names requests may use for providers. */
    public List<String> providers() {
        return List.copyOf(gateway.config().providers().keySet());
    }

    /** Whether callers must present an API key. */
    public boolean authenticationRequired() {
        return gateway.config().authenticationRequired();
    }

    /** Streams running now. */
    public int activeStreams() {
        return gateway.activeStreams();
    }

    /**
     * Stops gracefully: stops accepting connections and new streams, lets running streams finish
     * until {@code deadline}, then aborts the rest — their listeners get done({@code aborted}) and
     * {@code [DONE]} — and stops. Blocks until stopped. Idempotent.
     */
    public synchronized void stop(Duration deadline) {
        Objects.requireNonNull(deadline, "deadline");
        if (!stopped) {
            stopped = true;
            gateway.stop(deadline.isNegative() ? Duration.ZERO : deadline);
        }
    }

    /** Blocks until the server has stopped. */
    public void join() throws InterruptedException {
        gateway.join();
    }

    /** Stops at once: running streams are aborted (see {@link #stop(Duration)}). */
    @Override
    public void close() {
        stop(Duration.ZERO);
    }
}
