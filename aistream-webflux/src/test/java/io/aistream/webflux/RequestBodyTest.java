package io.aistream.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.provider.simulated.SimulatedProvider;
import io.aistream.server.AistreamServer;
import io.aistream.server.config.ConnectionConfig;
import io.aistream.server.config.ServerConfig;
import io.aistream.testing.RawHttp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Request bodies on WebFlux: a body that stops arriving is bounded by the gateway's minimum data rate
 * (408, the same answer as Jetty's); a body sent in small pieces is read whole.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RequestBodyTest {
    private static ServerConfig config() {
        return ServerConfig.builder()
                .port(0)
                .provider(new SimulatedProvider())
                .connections(ConnectionConfig.defaults().withMinRequestBodyRate(1024, Duration.ofMillis(300)))
                .build();
    }

    /** Declares 1,000 bytes, sends 10, then nothing: answered once the rate's deadline passed. */
    private static Parity.Answer stalledBody(int port) throws Exception {
        try (RawHttp http = RawHttp.connect(port)) {
            String head = "POST /v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000\r\n\r\n{\"provider\"";
            http.socket().getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            http.socket().getOutputStream().flush();
            http.readHead();
            return new Parity.Answer(http.status(), http.header("Content-Type").orElse(""), http.bodyText());
        }
    }

    @Test
    void aBodyThatNeverEndsIs408LikeJetty() throws Exception {
        ServerConfig config = config();
        Parity.Answer jetty;
        try (AistreamServer server = AistreamServer.start(config)) {
            jetty = stalledBody(server.port());
        }
        try (WebFluxServer server = WebFluxServer.start(config)) {
            Parity.Answer webflux = stalledBody(server.port());
            assertThat(webflux.status()).isEqualTo(408);
            assertThat(webflux.body()).contains("request_timeout");
            assertThat(webflux).isEqualTo(jetty);
        }
    }

    @Test
    void aChunkedBodyInSmallPiecesIsReadWhole() throws Exception {
        try (WebFluxServer server = WebFluxServer.start(config());
                RawHttp http = RawHttp.connect(server.port())) {
            String json = "{\"provider\":\"simulated\",\"model\":\"echo\",\"messages\":[{\"role\":\"user\","
                    + "\"content\":\"pieces of a body\"}]}";
            StringBuilder request = new StringBuilder("POST /v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
            var out = http.socket().getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < json.length(); i += 7) {
                String piece = json.substring(i, Math.min(json.length(), i + 7));
                out.write((Integer.toHexString(piece.length()) + "\r\n" + piece + "\r\n")
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            http.readHead();
            assertThat(http.status()).isEqualTo(200);
            assertThat(http.bodyText()).contains("pieces").endsWith("data: [DONE]\n\n");
        }
    }
}
