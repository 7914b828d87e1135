package io.aistream.webflux;

import io.aistream.server.config.ConnectionConfig;
import io.aistream.server.http.HttpRequest;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * A WebFlux {@link ServerHttpRequest} as an {@link HttpRequest}: the path within the application
 * after the gateway's base path, strictly decoded ({@link UriDecoding}); the body through a
 * {@link RequestBodyStream} with the gateway's minimum data rate. Read by the one thread handling the
 * exchange.
 */
final class WebFluxRequest implements HttpRequest {
    private final ServerHttpRequest request;
    private final String path;
    private final ConnectionConfig limits;
    private final Optional<String> principal;
    private Map<String, List<String>> query;

    /**
     * @param path      the decoded path after the base path ({@link #path()})
     * @param principal the name of the user the application authenticated, if it had resolved one
     */
    WebFluxRequest(ServerHttpRequest request, String path, ConnectionConfig limits, Optional<String> principal) {
        this.request = request;
        this.path = path;
        this.limits = limits;
        this.principal = principal;
    }

    @Override
    public String method() {
        return request.getMethod().name();
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(request.getHeaders().getFirst(name));
    }

    @Override
    public List<String> headers(String name) {
        // getValuesAsList(String) has the same signature on Spring 6 and 7; get(Object) (Spring 6's
        // MultiValueMap method) is gone from Spring 7's HttpHeaders: NoSuchMethodError on Boot 4.
        // It splits comma-separated values, as every list-valued header read here wants.
        return List.copyOf(request.getHeaders().getValuesAsList(name));
    }

    @Override
    public Optional<String> queryParameter(String name) {
        if (query == null) {
            query = UriDecoding.query(request.getURI().getRawQuery());
        }
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    @Override
    public String scheme() {
        String scheme = request.getURI().getScheme();
        return scheme == null ? "http" : scheme;
    }

    @Override
    public String host() {
        URI uri = request.getURI();
        return String.valueOf(uri.getHost());
    }

    @Override
    public int port() {
        return request.getURI().getPort();
    }

    @Override
    public int localPort() {
        InetSocketAddress local = request.getLocalAddress();
        return local == null ? -1 : local.getPort();
    }

    @Override
    public Optional<String> userPrincipal() {
        return principal;
    }

    @Override
    public String remoteAddress() {
        InetSocketAddress remote = request.getRemoteAddress();
        if (remote == null) {
            return "unknown";
        }
        return remote.getAddress() == null
                ? remote.getHostString()
                : remote.getAddress().getHostAddress();
    }

    @Override
    public long contentLength() {
        return request.getHeaders().getContentLength();
    }

    @Override
    public InputStream body() {
        return new RequestBodyStream(request.getBody(), limits.minRequestBodyRate(), limits.requestBodyGrace());
    }
}
