package io.aistream.provider.transport.internal;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;
import io.aistream.provider.spi.UpstreamRequest;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@link HttpTransport} over {@link java.net.http.HttpClient}: HTTP/2 where the client and the
 * server agree, the client's own pool, proxy and TLS settings. Plain {@code http://} requests are
 * sent as HTTP/1.1 (no h2c upgrade attempt: local model servers and proxies handle it badly).
 */
public final class JdkHttpTransport implements HttpTransport {
    private final HttpClient http;

    /** A transport over {@code http}, which the caller keeps owning. */
    public JdkHttpTransport(HttpClient http) {
        this.http = Objects.requireNonNull(http, "http");
    }

    /** The client requests go through. */
    public HttpClient client() {
        return http;
    }

    @Override
    public Exchange newExchange(UpstreamRequest upstream, String provider) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(upstream.uri()).POST(HttpRequest.BodyPublishers.ofByteArray(upstream.body()));
        if ("http".equalsIgnoreCase(upstream.uri().getScheme())) {
            b.version(HttpClient.Version.HTTP_1_1);
        }
        for (Map.Entry<String, List<String>> header : upstream.headers().entrySet()) {
            for (String value : header.getValue()) {
                try {
                    b.header(header.getKey(), value);
                } catch (IllegalArgumentException e) {
                    // the value is never echoed: it may be a credential
                    throw new AIStreamException(
                            ErrorCode.INTERNAL,
                            provider + ": the HTTP client refuses the request header '" + header.getKey() + "'");
                }
            }
        }
        return new JdkExchange(http, b.build());
    }

    /** Nothing to do: the {@link HttpClient} manages its own connections. */
    @Override
    public void closeIdleConnections() {
        // java.net.http offers no way to close its idle connections
    }
}
