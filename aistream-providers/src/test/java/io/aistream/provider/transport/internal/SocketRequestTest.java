package io.aistream.provider.transport.internal;

import static io.aistream.provider.transport.internal.SocketTests.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.AIStreamException;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.testing.LineProtocol;
import io.aistream.provider.transport.UpstreamClient;
import io.aistream.stream.ChunkSource;
import io.aistream.testing.FakeUpstream;
import io.aistream.testing.RecordedRequest;
import io.aistream.testing.Script;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the socket transport sends, what it refuses to send, and cancelling before the response. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SocketRequestTest {
    private final FakeUpstream server = FakeUpstream.start();
    private final SocketHttpTransport transport = new SocketHttpTransport(
            null, Duration.ofSeconds(2), 2048, 4, Duration.ofSeconds(30), "aistream-test/1", new AtomicLong()::get);

    @AfterEach
    void stop() {
        server.close();
        transport.closeIdleConnections();
    }

    private RecordedRequest send(URI uri, Map<String, List<String>> headers, String body) throws Exception {
        server.enqueue(Script.raw().sendRaw("HTTP/1.1 204 No Content\r\n\r\n").keepAlive());
        Exchange exchange = transport.newExchange(post(uri, headers, body), "test");
        exchange.start();
        exchange.body().close();
        return server.awaitConnection(0)
                .awaitRequest(server.awaitConnection(0).requests().size() - 1);
    }

    @Test
    void theRequestCarriesTheRawPathAndQueryHostLengthAndDefaults() throws Exception {
        URI uri = URI.create(server.baseUri() + "/v1/models/a%2Fb:stream?key=s%20ecret&alt=sse");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/json"));
        headers.put("X-Multi", List.of("one", "two"));

        RecordedRequest r = send(uri, headers, "{\"q\":\"ü\"}");

        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.target()).isEqualTo("/v1/models/a%2Fb:stream?key=s%20ecret&alt=sse");
        assertThat(r.header("host")).contains("127.0.0.1:" + server.port());
        assertThat(r.header("content-length")).contains("10");
        assertThat(r.bodyText()).isEqualTo("{\"q\":\"ü\"}");
        assertThat(r.header("user-agent")).contains("aistream-test/1");
        assertThat(r.header("accept-encoding")).contains("identity");
        assertThat(r.headers().get("x-multi")).containsExactly("one", "two");
        assertThat(r.header("content-type")).contains("application/json");
        assertThat(r.header("connection")).isEmpty();
    }

    @Test
    void theProvidersUserAgentAndAcceptEncodingWin() throws Exception {
        RecordedRequest r =
                send(server.baseUri(), Map.of("User-Agent", List.of("mine/2"), "Accept-Encoding", List.of("gzip")), "");

        assertThat(r.target()).isEqualTo("/");
        assertThat(r.headers().get("user-agent")).containsExactly("mine/2");
        assertThat(r.headers().get("accept-encoding")).containsExactly("gzip");
        assertThat(r.header("content-length")).contains("0");
    }

    @Test
    void aLargeBodyIsSentWhole() throws Exception {
        String body = "x".repeat(300_000);

        assertThat(send(server.baseUri(), Map.of(), body).bodyText()).isEqualTo(body);
    }

    @Test
    void theHostHeaderLeavesOutADefaultPort() {
        assertThat(Endpoint.of(URI.create("https://api.example.com/v1")).hostHeader())
                .isEqualTo("api.example.com");
        assertThat(Endpoint.of(URI.create("https://api.example.com:443/v1")).hostHeader())
                .isEqualTo("api.example.com");
        assertThat(Endpoint.of(URI.create("http://Example.com:80/")).hostHeader())
                .isEqualTo("example.com");
        assertThat(Endpoint.of(URI.create("http://example.com:8080/")).hostHeader())
                .isEqualTo("example.com:8080");
        assertThat(Endpoint.of(URI.create("http://[::1]:8080/")).hostHeader()).isEqualTo("[::1]:8080");
        assertThat(Endpoint.of(URI.create("http://[::1]:8080/")).socketHost()).isEqualTo("::1");
        assertThat(Endpoint.of(URI.create("https://10.1.2.3/")).isIpLiteral()).isTrue();
        assertThat(Endpoint.of(URI.create("https://api.example.com/")).isIpLiteral())
                .isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "sk-secret\r\nX-Injected: 1",
                "sk-secret\nX-Injected: 1",
                "sk-secret\rX",
                "sk-secret\0",
                "sk-secret\u0100"
            })
    void aHeaderValueThatCouldSplitTheRequestIsRefusedWithoutShowingIt(String key) {
        ProviderConfig config = new ProviderConfig("line", "line", server.baseUri(), Optional.of(key), Map.of());
        UpstreamClient client = UpstreamClient.builder().build();

        assertThatThrownBy(() -> client.open(new LineProtocol(), config, SocketTests.REQUEST))
                .isInstanceOfSatisfying(AIStreamException.class, e -> {
                    assertThat(e.code()).isEqualTo("internal");
                    assertThat(e.getMessage())
                            .contains("line: ")
                            .contains("'authorization'")
                            .doesNotContain("sk-secret")
                            .doesNotContain("Injected");
                });
        assertThat(server.connections()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bad Name", "Bad\r\nName", "", "X-Ü", "Name:"})
    void aHeaderNameThatIsNoTokenIsRefused(String name) {
        assertThatThrownBy(() -> transport.newExchange(post(server.baseUri(), Map.of(name, List.of("v")), ""), "p"))
                .isInstanceOfSatisfying(
                        AIStreamException.class,
                        e -> assertThat(e.getMessage())
                                .startsWith("p: ")
                                .doesNotContain("\r")
                                .doesNotContain("\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Host", "content-length", "Transfer-Encoding", "Connection", "Expect", "Upgrade"})
    void headersTheTransportSetsMayNotBeGiven(String name) {
        assertThatThrownBy(() -> transport.newExchange(post(server.baseUri(), Map.of(name, List.of("v")), ""), "p"))
                .isInstanceOfSatisfying(
                        AIStreamException.class,
                        e -> assertThat(e.getMessage()).contains("'" + name + "' is set by the transport"));
    }

    @Test
    void aUriTheTransportCannotReachIsRefusedWhenOpened() {
        assertThatThrownBy(() -> transport.newExchange(post(URI.create("ftp://example.com/x"), Map.of(), ""), "p"))
                .isInstanceOfSatisfying(
                        AIStreamException.class, e -> assertThat(e.getMessage()).contains("ftp"));
    }

    @Test
    void cancelWhileTheServerHoldsTheHeadClosesTheSocketAndUnblocksTheReader() throws Exception {
        server.enqueue(Script.raw().sendRaw("").hold());
        UpstreamClient client = UpstreamClient.builder().build();
        ChunkSource source = SocketTests.open(client, server.baseUri());
        SocketTests.cancelWhileTheHeadIsHeld(server, source);
    }

    @Test
    void cancelBeforeTheFirstNextSendsNothing() throws Exception {
        UpstreamClient client = UpstreamClient.builder().build();
        ChunkSource source = SocketTests.open(client, server.baseUri());

        source.cancel();

        assertThat(source.next()).isEmpty();
        assertThat(server.connections()).isEmpty();
    }
}
