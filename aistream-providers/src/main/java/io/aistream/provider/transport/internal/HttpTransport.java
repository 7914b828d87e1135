package io.aistream.provider.transport.internal;

import io.aistream.AIStreamException;
import io.aistream.provider.spi.UpstreamRequest;

/**
 * Carries provider requests: the seam between {@link io.aistream.provider.transport.UpstreamClient}
 * and an HTTP implementation. Implementations are thread-safe and shared by every stream of a
 * client.
 */
public interface HttpTransport {

    /**
     * Prepares the POST of {@code request}; nothing is sent until {@link Exchange#start()}.
     *
     * @param request  the provider's request
     * @param provider the provider's name, for messages
     * @return an exchange not yet started
     * @throws AIStreamException if the request cannot be sent as given (e.g. a header with a line
     *                           break); the message names the header, never its value
     */
    Exchange newExchange(UpstreamRequest request, String provider);

    /** Closes the idle connections kept for reuse, if any; the transport stays usable. */
    void closeIdleConnections();
}
