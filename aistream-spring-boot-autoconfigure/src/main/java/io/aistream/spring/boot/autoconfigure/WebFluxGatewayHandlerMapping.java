package io.aistream.spring.boot.autoconfigure;

import io.aistream.webflux.WebFluxGateway;
import org.springframework.core.Ordered;
import org.springframework.web.reactive.handler.AbstractHandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;
import reactor.core.publisher.Mono;

/**
 * Maps every request whose path the gateway serves ({@link WebFluxGateway#serves}) to
 * {@link WebFluxGateway#handle}, ahead of the application's {@code @RequestMapping}s (order
 * {@link #ORDER}); every other path stays the application's.
 */
public final class WebFluxGatewayHandlerMapping extends AbstractHandlerMapping {
    /** Before {@code RequestMappingHandlerMapping} (order 0). */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

    private final WebFluxGateway gateway;
    private final WebHandler handler;

    /** @param gateway the gateway the mapped requests go to */
    public WebFluxGatewayHandlerMapping(WebFluxGateway gateway) {
        this.gateway = gateway;
        this.handler = gateway::handle;
        setOrder(ORDER);
    }

    @Override
    protected Mono<?> getHandlerInternal(ServerWebExchange exchange) {
        return gateway.serves(exchange.getRequest()) ? Mono.just(handler) : Mono.empty();
    }
}
