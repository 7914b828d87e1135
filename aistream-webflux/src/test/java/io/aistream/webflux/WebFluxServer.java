package io.aistream.webflux;

import io.aistream.server.assembly.GatewayRoutes;
import io.aistream.server.config.ServerConfig;
import java.time.Duration;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/** A real Reactor Netty server on a free port running a {@link WebFluxGateway} — no Spring Boot. */
final class WebFluxServer implements AutoCloseable {
    final GatewayRoutes routes;
    final WebFluxGateway gateway;
    private final DisposableServer server;

    private WebFluxServer(ServerConfig config, String basePath) {
        routes = GatewayRoutes.create(config);
        gateway = new WebFluxGateway(routes, basePath);
        HttpHandler handler = WebHttpHandlerBuilder.webHandler(gateway::handle).build();
        server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle(new ReactorHttpHandlerAdapter(handler))
                .bindNow(Duration.ofSeconds(10));
    }

    static WebFluxServer start(ServerConfig config) {
        return new WebFluxServer(config, "");
    }

    static WebFluxServer start(ServerConfig config, String basePath) {
        return new WebFluxServer(config, basePath);
    }

    int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
        routes.close();
    }
}
