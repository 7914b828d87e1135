package io.aistream.spring.boot.autoconfigure;

import io.aistream.servlet.ServletGateway;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;
import org.springframework.core.Ordered;
import org.springframework.web.HttpRequestHandler;
import org.springframework.web.servlet.handler.AbstractHandlerMapping;

/**
 * Maps every request whose path the gateway serves ({@link ServletGateway#serves}) to the gateway,
 * ahead of the application's {@code @RequestMapping}s (order {@link #ORDER}); every other path, also
 * under {@code /v1}, stays the application's. The user the application authenticated (Spring
 * Security's principal, which lives in a thread-local on the request thread) is read on the request
 * thread and handed to the gateway, whose exchange runs on a virtual thread of its own.
 */
public final class ServletGatewayHandlerMapping extends AbstractHandlerMapping {
    /** Before {@code RequestMappingHandlerMapping} (order 0). */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

    private final ServletGateway gateway;
    private final HttpRequestHandler handler;

    /** @param gateway the gateway the mapped requests go to */
    public ServletGatewayHandlerMapping(ServletGateway gateway) {
        this.gateway = gateway;
        this.handler = (request, response) -> gateway.service(new KnownPrincipal(request), response);
        setOrder(ORDER);
    }

    @Override
    protected Object getHandlerInternal(HttpServletRequest request) {
        return gateway.serves(request) ? handler : null;
    }

    /** The request with its principal read once, on the thread that authenticated it. */
    private static final class KnownPrincipal extends HttpServletRequestWrapper {
        private final Principal principal;

        KnownPrincipal(HttpServletRequest request) {
            super(request);
            this.principal = request.getUserPrincipal();
        }

        @Override
        public Principal getUserPrincipal() {
            return principal;
        }
    }
}
