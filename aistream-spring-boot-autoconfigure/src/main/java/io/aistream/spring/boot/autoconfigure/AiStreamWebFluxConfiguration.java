package io.aistream.spring.boot.autoconfigure;

import io.aistream.server.assembly.GatewayRoutes;
import io.aistream.server.direct.StreamResponses;
import io.aistream.webflux.WebFluxGateway;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The gateway on Spring WebFlux: a {@link WebFluxGateway} at {@code aistream.endpoints.base-path}, a
 * reactive handler mapping ahead of the application's {@code @RequestMapping}s for the paths it serves
 * (so they pass the application's {@code WebFilter}s, Spring Security included), and the result handler
 * for {@code ChatStream}, {@code AiStreamResponse} and {@code Publisher<StreamChunk>}, ordered before
 * Spring's own.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(name = {"io.aistream.webflux.WebFluxGateway", "org.springframework.web.reactive.DispatcherHandler"})
public class AiStreamWebFluxConfiguration {
    /** Created by Spring. */
    public AiStreamWebFluxConfiguration() {}

    /** The WebFlux binding of the gateway's routes. */
    @Bean
    @ConditionalOnMissingBean
    public WebFluxGateway aiStreamWebFluxGateway(GatewayRoutes routes, AiStreamSettings settings) {
        return new WebFluxGateway(routes, settings.basePath());
    }

    /** Hands the requests the gateway serves to it, ahead of the application's controllers. */
    @Bean
    public WebFluxGatewayHandlerMapping aiStreamReactiveHandlerMapping(WebFluxGateway gateway) {
        return new WebFluxGatewayHandlerMapping(gateway);
    }

    /** Writes stream return values, before Spring's response body handling. */
    @Bean
    public ChatStreamResultHandler aiStreamResultHandler(StreamResponses responses) {
        return new ChatStreamResultHandler(responses);
    }
}
