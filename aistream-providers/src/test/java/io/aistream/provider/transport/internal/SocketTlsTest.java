package io.aistream.provider.transport.internal;

import static io.aistream.provider.transport.internal.SocketTests.open;
import static io.aistream.testing.Chunks.drain;
import static io.aistream.testing.Chunks.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.AIStreamException;
import io.aistream.provider.testing.LineProtocol;
import io.aistream.provider.transport.UpstreamClient;
import io.aistream.stream.ChunkSource;
import io.aistream.testing.FakeUpstream;
import io.aistream.testing.Script;
import io.aistream.testing.TestCertificates;
import io.aistream.testing.UpstreamConnection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** HTTPS through the socket transport, against a local TLS server with a self-signed certificate. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SocketTlsTest {
    private FakeUpstream server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private UpstreamClient trusting(TestCertificates.Pair pair) {
        return UpstreamClient.builder()
                .sslContext(pair.client())
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @Test
    void streamsOverTlsWithSniAndAlpnAndReusesTheConnection() throws Exception {
        server = FakeUpstream.startTls(TestCertificates.localhost().server());
        server.enqueue(SocketTests.chunkedSse(LineProtocol.sse("secure")))
                .enqueue(SocketTests.chunkedSse(LineProtocol.sse("again")));
        UpstreamClient client = trusting(TestCertificates.localhost());

        assertThat(text(drain(open(client, server.uri("localhost"))))).isEqualTo("secure");
        assertThat(text(drain(open(client, server.uri("localhost"))))).isEqualTo("again");

        UpstreamConnection conn = server.awaitConnection(0);
        assertThat(server.connections()).hasSize(1);
        assertThat(conn.requests()).hasSize(2);
        assertThat(conn.requests().getFirst().header("host")).contains("localhost:" + server.port());
        assertThat(conn.applicationProtocol()).contains("http/1.1");
        assertThat(conn.serverNames()).containsExactly("localhost");
        client.closeIdleConnections();
    }

    @Test
    void closingABodyWhoseLastChunkAlreadyArrivedInItsOwnTlsRecordGivesTheConnectionBack() throws Exception {
        server = FakeUpstream.startTls(TestCertificates.localhost().server());
        SocketHttpTransport transport = new SocketHttpTransport(
                TestCertificates.localhost().client(),
                Duration.ofSeconds(5),
                2048,
                4,
                Duration.ofSeconds(30),
                "aistream-test",
                System::nanoTime);

        SocketTests.closeWithTheLastChunkArrivedButUnread(server, transport);

        transport.closeIdleConnections();
    }

    @Test
    void anIpAddressIsVerifiedAgainstTheCertificatesIpEntryAndSendsNoSni() throws Exception {
        server = FakeUpstream.startTls(TestCertificates.localhost().server());
        server.enqueue(SocketTests.chunkedSse(LineProtocol.sse("by ip")));

        assertThat(text(drain(open(trusting(TestCertificates.localhost()), server.baseUri()))))
                .isEqualTo("by ip");

        assertThat(server.awaitConnection(0).serverNames()).isEmpty();
    }

    @Test
    void aCertificateForAnotherNameIsAnUpstreamConnectionError() {
        server = FakeUpstream.startTls(TestCertificates.otherName().server());
        server.enqueue(SocketTests.chunkedSse(LineProtocol.sse("never")));
        ChunkSource source = open(trusting(TestCertificates.otherName()), server.uri("localhost"));

        assertThatThrownBy(source::next).isInstanceOfSatisfying(AIStreamException.class, e -> {
            assertThat(e.code()).isEqualTo("upstream_connection");
            assertThat(e.retryable()).isTrue();
            assertThat(e.getMessage())
                    .contains("https://localhost:" + server.port())
                    .contains("SSLHandshakeException");
        });
        assertThat(server.connections())
                .allSatisfy(c -> assertThat(c.requests()).isEmpty());
    }

    @Test
    void anUntrustedCertificateIsAnUpstreamConnectionError() {
        server = FakeUpstream.startTls(TestCertificates.localhost().server());
        ChunkSource source = open(UpstreamClient.builder().build(), server.uri("localhost"));

        assertThatThrownBy(source::next)
                .isInstanceOfSatisfying(
                        AIStreamException.class, e -> assertThat(e.code()).isEqualTo("upstream_connection"));
    }

    @Test
    void cancelWhileWaitingForTheHeadOverTlsClosesTheSocket() throws Exception {
        server = FakeUpstream.startTls(TestCertificates.localhost().server());
        server.enqueue(Script.raw().sendRaw("").hold());
        ChunkSource source = open(trusting(TestCertificates.localhost()), server.uri("localhost"));
        SocketTests.cancelWhileTheHeadIsHeld(server, source);
    }
}
