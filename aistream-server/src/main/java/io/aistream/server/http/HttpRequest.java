package io.aistream.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * The request side of one HTTP exchange, as a binding (Jetty, Servlet, WebFlux) presents it to the
 * gateway's protocols. Read by the one thread that handles the exchange.
 */
public interface HttpRequest {
    /** The method, upper case ({@code GET}, {@code POST}, …). */
    String method();

    /**
     * The path inside the gateway's context, {@code /} at least, decoded, except that a {@code /} the
     * client encoded inside a segment is presented as {@link Route#ENCODED_SLASH} (upper case), never
     * as a separator.
     */
    String path();

    /** The first value of a header (case-insensitive name). */
    Optional<String> header(String name);

    /** Every value of a header, in arrival order; empty when absent. */
    List<String> headers(String name);

    /**
     * The first value of a query parameter, decoded.
     *
     * @throws BadHttpRequestException 400 when the query cannot be decoded (an invalid {@code %}-escape)
     */
    Optional<String> queryParameter(String name);

    /** The scheme the client used ({@code http} when the binding cannot tell). */
    String scheme();

    /** The host the client addressed (the {@code Host} header's name part). */
    String host();

    /** The port the client addressed, or a value ≤ 0 when it named none. */
    int port();

    /**
     * The port of the local socket the request arrived on (not what {@code Host} says), or a value ≤ 0
     * when the binding cannot tell; loopback origins of this port are the gateway's own pages.
     */
    default int localPort() {
        return -1;
    }

    /**
     * The user the host application authenticated before the gateway saw the request (a Servlet
     * container's {@code getUserPrincipal()}, a WebFlux exchange's principal), by name; empty when the
     * binding has none (the Jetty gateway authenticates with its own API keys instead).
     */
    default Optional<String> userPrincipal() {
        return Optional.empty();
    }

    /** The client's address, for logs. */
    String remoteAddress();

    /** The declared body length ({@code Content-Length}), or -1 when unknown. */
    long contentLength();

    /**
     * The body as a blocking stream; the caller closes it. Its reads throw
     * {@link BadHttpRequestException} when the body is not validly framed (broken chunked encoding, cut
     * short) or arrives slower than the binding's minimum data rate (408).
     */
    InputStream body() throws IOException;

    /**
     * The whole body, blocking.
     *
     * @throws ApiError.Failure 413 {@code request_too_large} if it is longer than {@code maxBytes}
     *                          (checked against {@link #contentLength()} before reading, and while
     *                          reading); the dispatcher answers it in the route's error shape
     */
    default byte[] readBody(int maxBytes) throws IOException {
        return Bodies.read(this, maxBytes);
    }
}
