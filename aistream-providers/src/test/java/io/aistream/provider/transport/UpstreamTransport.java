package io.aistream.provider.transport;

import java.time.Duration;

/**
 * The two transports an {@link UpstreamClient} can use; the transport tests run every scenario on
 * both ({@code @ParameterizedClass @EnumSource(UpstreamTransport.class)}).
 */
enum UpstreamTransport {
    /** The default: HTTP/1.1 over blocking sockets. */
    SOCKETS(false),
    /** {@code java.net.http.HttpClient}. */
    JDK_HTTP_CLIENT(true);

    private final boolean jdk;
    private final UpstreamClient client;

    UpstreamTransport(boolean jdk) {
        this.jdk = jdk;
        this.client = builder().build();
    }

    /** A builder for this transport with a 2 s connect timeout. */
    UpstreamClient.Builder builder() {
        UpstreamClient.Builder b = UpstreamClient.builder().connectTimeout(Duration.ofSeconds(2));
        return jdk ? b.useJdkHttpClient() : b;
    }

    /** A client shared by the tests of this transport. */
    UpstreamClient client() {
        return client;
    }
}
