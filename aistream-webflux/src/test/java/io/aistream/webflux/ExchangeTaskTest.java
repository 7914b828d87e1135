package io.aistream.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.server.http.ExchangeTask;
import io.aistream.testing.RawHttp;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/** {@link WebFluxGateway#stream}: a host application's own task on an exchange, as a controller would return it. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ExchangeTaskTest {
    private static DisposableServer serve(ExchangeTask task) {
        // the application authenticated the user before the gateway's task runs
        WebFilter login = (exchange, chain) -> chain.filter(exchange.mutate()
                .principal(Mono.just((Principal) () -> "alice"))
                .build());
        return HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle(new ReactorHttpHandlerAdapter(
                        WebHttpHandlerBuilder.webHandler(exchange -> WebFluxGateway.stream(exchange, task))
                                .filter(login)
                                .build()))
                .bindNow(Duration.ofSeconds(10));
    }

    @Test
    void aTaskStreamsEventByEventAndSeesThePrincipal() throws Exception {
        CountDownLatch firstRead = new CountDownLatch(1);
        DisposableServer server = serve(ex -> {
            ex.response().eventStream("st_task");
            OutputStream body = ex.response().body();
            String user = ex.request().userPrincipal().orElse("nobody");
            body.write(("data: hello " + user + "\n\n").getBytes(StandardCharsets.UTF_8));
            body.flush();
            // the next event only once the client has the first: proves the flush reached it
            assertThat(firstRead.await(10, TimeUnit.SECONDS)).isTrue();
            body.write("data: bye\n\n".getBytes(StandardCharsets.UTF_8));
            body.flush();
        });
        try (RawHttp http = RawHttp.request(server.port(), "GET", "/anything", Map.of(), null)) {
            assertThat(http.status()).isEqualTo(200);
            assertThat(http.header("X-Stream-Id")).contains("st_task");
            assertThat(http.nextHttpChunk()).isEqualTo("data: hello alice\n\n");
            firstRead.countDown();
            assertThat(http.nextHttpChunk()).isEqualTo("data: bye\n\n");
            assertThat(http.nextHttpChunk()).isNull();
        } finally {
            server.disposeNow(Duration.ofSeconds(5));
        }
    }

    @Test
    void aTaskThatFailsBeforeWritingLeavesTheAnswerToTheApplication() throws Exception {
        DisposableServer server = serve(ex -> {
            throw new IllegalStateException("no stream today");
        });
        try (RawHttp http = RawHttp.request(server.port(), "GET", "/anything", Map.of(), null)) {
            assertThat(http.status()).isEqualTo(500); // Spring's own answer to an unhandled error
        } finally {
            server.disposeNow(Duration.ofSeconds(5));
        }
    }
}
