package io.aistream.spring.boot.autoconfigure;

import io.aistream.server.assembly.GatewayRoutes;
import io.aistream.server.direct.StreamResponses;
import io.aistream.servlet.ServletGateway;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * The gateway on Spring MVC: a {@link ServletGateway} at {@code aistream.endpoints.base-path}, a handler
 * mapping ahead of the application's {@code @RequestMapping}s for the paths the gateway serves (so the
 * requests pass the application's filters, Spring Security included), and the return value handler for
 * {@code ChatStream}, {@code AiStreamResponse} and {@code Publisher<StreamChunk>}, put first in the
 * {@link RequestMappingHandlerAdapter}'s list (before Spring's own reactive-type handling).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = {"io.aistream.servlet.ServletGateway", "org.springframework.web.servlet.DispatcherServlet"})
public class AiStreamWebMvcConfiguration {
    /** Created by Spring. */
    public AiStreamWebMvcConfiguration() {}

    /** The Servlet binding of the gateway's routes. */
    @Bean
    @ConditionalOnMissingBean
    public ServletGateway aiStreamServletGateway(GatewayRoutes routes, AiStreamSettings settings) {
        return new ServletGateway(routes, settings.basePath());
    }

    /** Hands the requests the gateway serves to it, ahead of the application's controllers. */
    @Bean
    public ServletGatewayHandlerMapping aiStreamHandlerMapping(ServletGateway gateway) {
        return new ServletGatewayHandlerMapping(gateway);
    }

    /** Puts the stream return value handler first in every {@link RequestMappingHandlerAdapter}. */
    @Bean
    public static SmartInitializingSingleton aiStreamReturnValueHandlerInstaller(
            ObjectProvider<RequestMappingHandlerAdapter> adapters, ObjectProvider<StreamResponses> responses) {
        return () -> adapters.orderedStream().forEach(adapter -> {
            List<HandlerMethodReturnValueHandler> handlers = new ArrayList<>();
            handlers.add(new ChatStreamReturnValueHandler(responses.getObject()));
            List<HandlerMethodReturnValueHandler> existing = adapter.getReturnValueHandlers();
            if (existing != null) {
                handlers.addAll(existing);
            }
            adapter.setReturnValueHandlers(handlers);
        });
    }
}
