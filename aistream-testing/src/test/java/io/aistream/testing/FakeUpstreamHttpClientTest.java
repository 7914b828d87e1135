package io.aistream.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fake upstream as {@code java.net.http.HttpClient} sees it, over plain text and TLS. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FakeUpstreamHttpClientTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private FakeUpstream upstream = FakeUpstream.start();

    @AfterEach
    void stop() {
        upstream.close();
    }

    private static HttpClient client() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(WAIT)
                .build();
    }

    private static HttpRequest post(java.net.URI uri, String body) {
        return HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .header("X-Key", "k1")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    @Test
    void everyFramingReachesTheClientWhole() throws Exception {
        upstream.enqueue(Script.sse().send("data: \"Grü").send("ß\"\n\n"))
                .enqueue(Script.sse()
                        .framing(Script.Framing.CONTENT_LENGTH)
                        .sendRandomlySplit("data: \"Grüß\"\n\n", 1, 3))
                .enqueue(Script.sse().framing(Script.Framing.CLOSE_DELIMITED).sendBytewise("data: \"Grüß\"\n\n"));
        HttpClient client = client();

        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = client.send(
                    post(upstream.baseUri().resolve("/v1/chat"), "{\"n\":" + i + "}"),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type")).contains("text/event-stream");
            assertThat(response.body()).isEqualTo("data: \"Grüß\"\n\n");
        }

        assertThat(upstream.requests()).hasSize(3).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/v1/chat");
            assertThat(r.header("x-key")).contains("k1");
        });
        assertThat(upstream.requests())
                .extracting(RecordedRequest::bodyText)
                .containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}");
        assertThat(upstream.connections()).as("Connection: close").hasSize(3);
    }

    @Test
    void keptConnectionsCarrySeveralRequests() throws Exception {
        upstream.enqueue(Script.json(200, "{\"a\":1}").keepAlive())
                .enqueue(Script.json(201, "{\"b\":2}").keepAlive());
        HttpClient client = client();

        assertThat(client.send(post(upstream.baseUri(), "1"), HttpResponse.BodyHandlers.ofString())
                        .body())
                .isEqualTo("{\"a\":1}");
        HttpResponse<String> second = client.send(post(upstream.baseUri(), "2"), HttpResponse.BodyHandlers.ofString());

        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(upstream.connections()).hasSize(1);
        assertThat(upstream.awaitConnection(0).requests()).hasSize(2);
    }

    @Test
    void anErrorStatusWithHeadersIsWhatTheClientGets() throws Exception {
        upstream.enqueue(Script.json(429, "{\"error\":{\"type\":\"rate_limit_error\"}}")
                .header("Retry-After", "7")
                .addHeader("X-Multi", "a")
                .addHeader("X-Multi", "b"));

        HttpResponse<String> response =
                client().send(post(upstream.baseUri(), "{}"), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("retry-after")).contains("7");
        assertThat(response.headers().allValues("x-multi")).containsExactly("a", "b");
        assertThat(response.body()).contains("rate_limit_error");
    }

    @Test
    void aCutMidBodyFailsTheClientsRead() throws Exception {
        upstream.enqueue(Script.sse().send("data: a\n\n").cut());

        HttpResponse<InputStream> response =
                client().send(post(upstream.baseUri(), "{}"), HttpResponse.BodyHandlers.ofInputStream());

        try (InputStream body = response.body()) {
            assertThatThrownBy(body::readAllBytes).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aClientThatAbandonsAStalledStreamIsSeenClosingIt() throws Exception {
        upstream.enqueue(Script.sse().send("data: a\n\n").stall());
        HttpResponse<InputStream> response =
                client().send(post(upstream.baseUri(), "{}"), HttpResponse.BodyHandlers.ofInputStream());
        InputStream body = response.body();
        assertThat(new String(body.readNBytes(9), StandardCharsets.UTF_8)).isEqualTo("data: a\n\n");
        UpstreamConnection connection = upstream.awaitConnection(0);
        assertThat(connection.stalled()).succeedsWithin(WAIT);

        long closedAt = System.nanoTime();
        body.close();

        assertThat(connection.awaitClosedByClient()).isGreaterThanOrEqualTo(closedAt);
    }

    @Test
    void tlsWithSniAlpnAndKeepAlive() throws Exception {
        upstream.close();
        upstream = FakeUpstream.startTls(TestCertificates.localhost().server());
        upstream.enqueue(Script.sse().send("secure").keepAlive())
                .enqueue(Script.sse().send("again"));
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(TestCertificates.localhost().client())
                .connectTimeout(WAIT)
                .build();

        assertThat(client.send(post(upstream.uri("localhost"), "{}"), HttpResponse.BodyHandlers.ofString())
                        .body())
                .isEqualTo("secure");
        assertThat(client.send(post(upstream.uri("localhost"), "{}"), HttpResponse.BodyHandlers.ofString())
                        .body())
                .isEqualTo("again");

        assertThat(upstream.baseUri().getScheme()).isEqualTo("https");
        UpstreamConnection connection = upstream.awaitConnection(0);
        assertThat(upstream.connections()).hasSize(1);
        assertThat(connection.requests()).hasSize(2);
        assertThat(connection.request().header("host")).contains("localhost:" + upstream.port());
        assertThat(connection.applicationProtocol())
                .as("an HTTP/1.1-only HttpClient offers no ALPN")
                .isEmpty();
        assertThat(connection.serverNames()).containsExactly("localhost");
    }

    @Test
    void tlsAgreesOnHttp11WhenTheClientOffersAlpn() throws Exception {
        upstream.close();
        upstream = FakeUpstream.startTls(TestCertificates.localhost().server());
        upstream.enqueue(Script.sse().send("alpn"));
        try (SSLSocket socket = (SSLSocket)
                TestCertificates.localhost().client().getSocketFactory().createSocket("localhost", upstream.port())) {
            SSLParameters params = socket.getSSLParameters();
            params.setApplicationProtocols(new String[] {"h2", "http/1.1"});
            socket.setSSLParameters(params);
            socket.startHandshake();
            assertThat(socket.getApplicationProtocol()).isEqualTo("http/1.1");
            socket.getOutputStream()
                    .write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();

            assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .endsWith("4\r\nalpn\r\n0\r\n\r\n");
        }

        assertThat(upstream.awaitConnection(0).applicationProtocol()).contains("http/1.1");
    }

    @Test
    void tlsByIpAddressSendsNoSni() throws Exception {
        upstream.close();
        upstream = FakeUpstream.startTls(TestCertificates.localhost().server());
        upstream.enqueue(Script.sse().send("by ip"));
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(TestCertificates.localhost().client())
                .build();

        assertThat(client.send(post(upstream.baseUri(), "{}"), HttpResponse.BodyHandlers.ofString())
                        .body())
                .isEqualTo("by ip");

        assertThat(upstream.awaitConnection(0).serverNames()).isEmpty();
    }

    @Test
    void anUntrustingClientFailsTheHandshakeAndSendsNoRequest() {
        upstream.close();
        upstream = FakeUpstream.startTls(TestCertificates.otherName().server());
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(TestCertificates.otherName().client())
                .build();

        assertThatThrownBy(
                        () -> client.send(post(upstream.uri("localhost"), "{}"), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);

        UpstreamConnection connection = upstream.awaitConnection(0);
        assertThat(connection.ended()).succeedsWithin(WAIT);
        assertThat(connection.requests()).isEmpty();
    }
}
