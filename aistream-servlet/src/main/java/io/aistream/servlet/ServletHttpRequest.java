package io.aistream.servlet;

import io.aistream.server.http.HttpRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.security.Principal;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;

/**
 * A {@link HttpServletRequest} as the gateway's {@link HttpRequest}. Read by the one thread handling the
 * exchange. The path is computed once, when the exchange is created (see {@link RequestPath}); the query
 * is decoded strictly by {@link QueryString}; the body's read failures are the client's 400
 * ({@link RequestBody}). The minimum body data rate of the Jetty gateway is the container's business
 * here (its connection or read timeouts).
 */
final class ServletHttpRequest implements HttpRequest {
    private final HttpServletRequest request;
    private final String path;

    ServletHttpRequest(HttpServletRequest request, String path) {
        this.request = request;
        this.path = path;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(request.getHeader(name));
    }

    @Override
    public List<String> headers(String name) {
        Enumeration<String> values = request.getHeaders(name);
        return values == null ? List.of() : Collections.list(values);
    }

    @Override
    public Optional<String> queryParameter(String name) {
        return QueryString.first(request.getQueryString(), name);
    }

    @Override
    public String scheme() {
        String scheme = request.getScheme();
        return scheme == null ? "http" : scheme;
    }

    @Override
    public String host() {
        return request.getServerName();
    }

    /** The port the Host header names; the container's default port for the scheme is not "named". */
    @Override
    public int port() {
        String host = request.getHeader("Host");
        if (host == null) {
            return -1;
        }
        int bracket = host.lastIndexOf(']');
        int colon = host.lastIndexOf(':');
        return colon > bracket ? request.getServerPort() : -1;
    }

    @Override
    public int localPort() {
        return request.getLocalPort();
    }

    @Override
    public Optional<String> userPrincipal() {
        Principal principal = request.getUserPrincipal();
        return principal == null ? Optional.empty() : Optional.ofNullable(principal.getName());
    }

    @Override
    public String remoteAddress() {
        return request.getRemoteAddr();
    }

    @Override
    public long contentLength() {
        return request.getContentLengthLong();
    }

    @Override
    public InputStream body() throws IOException {
        return new RequestBody(request, request.getInputStream(), contentLength());
    }
}
