package io.aistream.server.config;

import io.aistream.provider.ChatProvider;
import io.aistream.server.http.HostCheck;
import io.aistream.server.resume.ResumeStore;
import io.aistream.stream.TimeSource;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything an {@link AistreamServer} needs: where to listen, which providers to serve, who may
 * call it and within which limits. Immutable; build one with {@link #builder()}.
 *
 * <pre>{@code
 * ServerConfig config = ServerConfig.builder()
 *         .port(8080)
 *         .provider(new SimulatedProvider(TimeSource.system(), 40))
 *         .apiKeys(List.of(System.getenv("GATEWAY_KEY")))
 *         .corsOrigins(List.of("https://app.example.com"))
 *         .build();
 * }</pre>
 *
 * @param host               interface to bind; without API keys only a loopback address is ever bound
 * @param port               TCP port; 0 picks a free one
 * @param providers          providers by the name requests use, in registration order
 * @param apiKeys            bearer keys a caller must present, each at least {@value #MIN_API_KEY_LENGTH}
 *                           characters; empty = no authentication (loopback only)
 * @param corsOrigins        origins allowed to call from a browser ({@code "*"} = any); the gateway's own
 *                           loopback origin (its demo page) is always allowed
 * @param allowedHosts       host names the gateway answers to besides the loopback ones ({@code Host} /
 *                           {@code :authority}; others get 421, against DNS rebinding): exact names, IP
 *                           literals, {@code *.example.com}; no port. Empty = loopback only without API
 *                           keys, any host with them. Their origins are allowed CORS origins too (see
 *                           {@link io.aistream.server.http.HostCheck})
 * @param maxBodyBytes       largest request body accepted (413 beyond)
 * @param maxStreamsPerKey   concurrent streams one API key (or, without keys, all callers) may run (429 beyond)
 * @param maxStreams         concurrent streams in total (429 beyond)
 * @param keepAliveInterval  idle time after which a {@code : keepalive} comment is written to an SSE response
 * @param retryMillis        the {@code retry:} hint sent at the start of every SSE response
 * @param resumeMaxChunks    chunks kept per resumable stream; older ones are evicted (see {@link ResumeStore})
 * @param resumeMaxBytes     approximate bytes kept per resumable stream; older chunks are evicted beyond it
 * @param resumeTtl          how long a finished resumable stream stays replayable
 * @param resumeStore        a resume store to use instead of the in-memory one built from the limits above
 * @param maxConnections     open connections the server accepts at once; 0 (the default) derives it from
 *                           the process's open-files limit at start (half of it, at most 20,000, leaving
 *                           descriptors for upstream connections), and says so in the log
 * @param idleTimeout        a connection with no traffic for this long is closed (keep-alives count as
 *                           traffic, so this must exceed {@code keepAliveInterval})
 * @param timeSource         clock and scheduler for keep-alives, stream timeouts and resume expiry
 * @param webSocket          limits and pings of the WebSocket endpoint {@code /v1/ws}
 * @param memory             the memory budget for everything retained per stream (see {@link MemoryConfig})
 * @param connections        slow-client limits: request-header timeout, minimum body rate, connections per address
 * @param storedResponses    what {@code POST /v1/responses} keeps for {@code item_reference},
 *                           {@code previous_response_id} and {@code GET /v1/responses/{id}} (see
 *                           {@link ResponseStoreConfig})
 * @param cluster            several nodes on one Redis (see {@link ClusterConfig}); empty = one node, all in
 *                           memory. With it, {@code resumeStore} must be empty (the cluster's store is Redis)
 */
public record ServerConfig(
        String host,
        int port,
        Map<String, ChatProvider> providers,
        List<String> apiKeys,
        List<String> corsOrigins,
        List<String> allowedHosts,
        int maxBodyBytes,
        int maxStreamsPerKey,
        int maxStreams,
        Duration keepAliveInterval,
        long retryMillis,
        int resumeMaxChunks,
        long resumeMaxBytes,
        Duration resumeTtl,
        Optional<ResumeStore> resumeStore,
        int maxConnections,
        Duration idleTimeout,
        TimeSource timeSource,
        WebSocketConfig webSocket,
        MemoryConfig memory,
        ConnectionConfig connections,
        ResponseStoreConfig storedResponses,
        Optional<ClusterConfig> cluster) {

    /** Default port of {@code aistream serve}. */
    public static final int DEFAULT_PORT = 8080;

    /** The shortest API key accepted: a key must not be guessable. */
    public static final int MIN_API_KEY_LENGTH = 16;

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
        }
        providers = Collections.unmodifiableMap(new LinkedHashMap<>(providers)); // keeps registration order
        apiKeys = List.copyOf(apiKeys);
        for (int i = 0; i < apiKeys.size(); i++) {
            if (apiKeys.get(i).strip().length() < MIN_API_KEY_LENGTH) { // never echo the key itself
                throw new IllegalArgumentException("apiKeys[" + i + "] is too short: an API key needs at least "
                        + MIN_API_KEY_LENGTH + " characters (e.g. 32 random hex digits)");
            }
        }
        corsOrigins = List.copyOf(corsOrigins);
        allowedHosts = HostCheck.normalizeAll(allowedHosts);
        positive(maxBodyBytes, "maxBodyBytes");
        positive(maxStreamsPerKey, "maxStreamsPerKey");
        positive(maxStreams, "maxStreams");
        positive(keepAliveInterval, "keepAliveInterval");
        if (retryMillis < 0) {
            throw new IllegalArgumentException("retryMillis must not be negative");
        }
        positive(resumeMaxChunks, "resumeMaxChunks");
        if (resumeMaxBytes <= 0) {
            throw new IllegalArgumentException("resumeMaxBytes must be positive");
        }
        positive(resumeTtl, "resumeTtl");
        Objects.requireNonNull(resumeStore, "resumeStore");
        if (maxConnections < 0) {
            throw new IllegalArgumentException(
                    "maxConnections must not be negative (0 = automatic): " + maxConnections);
        }
        positive(idleTimeout, "idleTimeout");
        if (idleTimeout.compareTo(keepAliveInterval) <= 0) {
            throw new IllegalArgumentException("idleTimeout must be longer than keepAliveInterval");
        }
        Objects.requireNonNull(timeSource, "timeSource");
        Objects.requireNonNull(webSocket, "webSocket");
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(connections, "connections");
        Objects.requireNonNull(storedResponses, "storedResponses");
        Objects.requireNonNull(cluster, "cluster");
        if (cluster.isPresent() && resumeStore.isPresent()) {
            throw new IllegalArgumentException(
                    "a cluster keeps resumable streams in Redis: give no resumeStore with it");
        }
    }

    private static void positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    private static void positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    /** Whether callers must present a bearer key. */
    public boolean authenticationRequired() {
        return !apiKeys.isEmpty();
    }

    /** A builder with the defaults: 127.0.0.1:8080, no providers, no keys, 1 MiB bodies, 15 s keep-alive. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host;
        b.port = port;
        b.providers.putAll(providers);
        b.apiKeys = apiKeys;
        b.corsOrigins = corsOrigins;
        b.allowedHosts = allowedHosts;
        b.maxBodyBytes = maxBodyBytes;
        b.maxStreamsPerKey = maxStreamsPerKey;
        b.maxStreams = maxStreams;
        b.keepAliveInterval = keepAliveInterval;
        b.retryMillis = retryMillis;
        b.resumeMaxChunks = resumeMaxChunks;
        b.resumeMaxBytes = resumeMaxBytes;
        b.resumeTtl = resumeTtl;
        b.resumeStore = resumeStore.orElse(null);
        b.maxConnections = maxConnections;
        b.idleTimeout = idleTimeout;
        b.timeSource = timeSource;
        b.webSocket = webSocket;
        b.memory = memory;
        b.connections = connections;
        b.storedResponses = storedResponses;
        b.cluster = cluster.orElse(null);
        return b;
    }

    /** Builds a {@link ServerConfig}; not thread-safe. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = DEFAULT_PORT;
        private final Map<String, ChatProvider> providers = new LinkedHashMap<>();
        private List<String> apiKeys = List.of();
        private List<String> corsOrigins = List.of();
        private List<String> allowedHosts = List.of();
        private int maxBodyBytes = 1 << 20;
        private int maxStreamsPerKey = 100;
        private int maxStreams = 10_000;
        private Duration keepAliveInterval = Duration.ofSeconds(15);
        private long retryMillis = 3000;
        private int resumeMaxChunks = 10_000;
        private long resumeMaxBytes = 8L << 20;
        private Duration resumeTtl = Duration.ofMinutes(5);
        private ResumeStore resumeStore;
        private int maxConnections = 0; // automatic: from the open-files limit
        private Duration idleTimeout = Duration.ofMinutes(2);
        private TimeSource timeSource = TimeSource.system();
        private WebSocketConfig webSocket = WebSocketConfig.defaults();
        private MemoryConfig memory = MemoryConfig.defaults();
        private ConnectionConfig connections = ConnectionConfig.defaults();
        private ResponseStoreConfig storedResponses = ResponseStoreConfig.defaults();
        private ClusterConfig cluster;

        private Builder() {}

        public Builder host(String value) {
            this.host = Objects.requireNonNull(value, "host");
            return this;
        }

        public Builder port(int value) {
            this.port = value;
            return this;
        }

        /** Registers a provider under its {@link ChatProvider#name()}. */
        public Builder provider(ChatProvider provider) {
            return provider(provider.name(), provider);
        }

        /** Registers a provider under {@code name} (an alias, say). */
        public Builder provider(String name, ChatProvider provider) {
            providers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(provider, "provider"));
            return this;
        }

        /** Replaces the providers with these, by request name. */
        public Builder providers(Map<String, ? extends ChatProvider> values) {
            providers.clear();
            providers.putAll(values);
            return this;
        }

        public Builder apiKeys(List<String> values) {
            this.apiKeys = List.copyOf(values);
            return this;
        }

        public Builder corsOrigins(List<String> values) {
            this.corsOrigins = List.copyOf(values);
            return this;
        }

        /** Host names served besides the loopback ones (see {@link ServerConfig#allowedHosts()}). */
        public Builder allowedHosts(List<String> values) {
            this.allowedHosts = List.copyOf(values);
            return this;
        }

        public Builder maxBodyBytes(int value) {
            this.maxBodyBytes = value;
            return this;
        }

        public Builder maxStreamsPerKey(int value) {
            this.maxStreamsPerKey = value;
            return this;
        }

        public Builder maxStreams(int value) {
            this.maxStreams = value;
            return this;
        }

        public Builder keepAliveInterval(Duration value) {
            this.keepAliveInterval = value;
            return this;
        }

        public Builder retryMillis(long value) {
            this.retryMillis = value;
            return this;
        }

        public Builder resumeMaxChunks(int value) {
            this.resumeMaxChunks = value;
            return this;
        }

        public Builder resumeMaxBytes(long value) {
            this.resumeMaxBytes = value;
            return this;
        }

        public Builder resumeTtl(Duration value) {
            this.resumeTtl = value;
            return this;
        }

        /** A store to keep resumable streams in (e.g. a shared one for several nodes). */
        public Builder resumeStore(ResumeStore value) {
            this.resumeStore = Objects.requireNonNull(value, "resumeStore");
            return this;
        }

        public Builder maxConnections(int value) {
            this.maxConnections = value;
            return this;
        }

        public Builder idleTimeout(Duration value) {
            this.idleTimeout = value;
            return this;
        }

        public Builder timeSource(TimeSource value) {
            this.timeSource = Objects.requireNonNull(value, "timeSource");
            return this;
        }

        /** Limits and pings of the WebSocket endpoint (default {@link WebSocketConfig#defaults()}). */
        public Builder webSocket(WebSocketConfig value) {
            this.webSocket = Objects.requireNonNull(value, "webSocket");
            return this;
        }

        /** The memory budget (default {@link MemoryConfig#defaults()}: 40 % of the maximum heap). */
        public Builder memory(MemoryConfig value) {
            this.memory = Objects.requireNonNull(value, "memory");
            return this;
        }

        /** Slow-client limits (default {@link ConnectionConfig#defaults()}). */
        public Builder connections(ConnectionConfig value) {
            this.connections = Objects.requireNonNull(value, "connections");
            return this;
        }

        /** What the Responses endpoint keeps (default {@link ResponseStoreConfig#defaults()}). */
        public Builder storedResponses(ResponseStoreConfig value) {
            this.storedResponses = Objects.requireNonNull(value, "storedResponses");
            return this;
        }

        /** Several nodes on one Redis (default: none, one node with everything in memory). */
        public Builder cluster(ClusterConfig value) {
            this.cluster = value;
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @throws IllegalArgumentException naming the setting when a value is out of range
         */
        public ServerConfig build() {
            return new ServerConfig(
                    host,
                    port,
                    providers,
                    apiKeys,
                    corsOrigins,
                    allowedHosts,
                    maxBodyBytes,
                    maxStreamsPerKey,
                    maxStreams,
                    keepAliveInterval,
                    retryMillis,
                    resumeMaxChunks,
                    resumeMaxBytes,
                    resumeTtl,
                    Optional.ofNullable(resumeStore),
                    maxConnections,
                    idleTimeout,
                    timeSource,
                    webSocket,
                    memory,
                    connections,
                    storedResponses,
                    Optional.ofNullable(cluster));
        }
    }
}
