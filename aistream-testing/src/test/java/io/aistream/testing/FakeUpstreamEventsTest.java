package io.aistream.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Stalls, gates, cuts and the client's close, as events a test waits on. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FakeUpstreamEventsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final FakeUpstream upstream = FakeUpstream.start();

    @AfterEach
    void stop() {
        upstream.close();
    }

    @Test
    void theClientsCloseIsAnEventWithTheTimeItWasSeen() throws Exception {
        upstream.enqueue(Script.sse().send("a").stall());
        RawClient client = new RawClient(upstream.port()).send("GET", "/", "");
        client.head();
        assertThat(client.line()).isEqualTo("1");
        UpstreamConnection connection = upstream.awaitConnection(0);
        assertThat(connection.stalled()).succeedsWithin(WAIT);

        long closedAt = System.nanoTime();
        client.close();

        long seenAt = connection.awaitClosedByClient();
        assertThat(seenAt).isGreaterThanOrEqualTo(closedAt).isGreaterThan(connection.acceptedAt());
        assertThat(connection.closedByClient()).isCompletedWithValue(seenAt);
        assertThat(connection.ended()).succeedsWithin(WAIT);
    }

    @Test
    void aStallBeforeAnyWriteHoldsTheHeadUntilReleased() throws Exception {
        upstream.enqueue(Script.sse().stall().send("late"));
        try (RawClient client = new RawClient(upstream.port()).send("GET", "/", "")) {
            UpstreamConnection connection = upstream.awaitConnection(0);
            assertThat(connection.stalled()).succeedsWithin(WAIT);
            assertThat(connection.request().target()).isEqualTo("/");

            connection.release();

            assertThat(client.head()).startsWith("HTTP/1.1 200 OK");
            assertThat(client.chunks()).containsExactly("late");
        }
    }

    @Test
    void sendHeadThenStallGivesTheHeadButNoBody() throws Exception {
        upstream.enqueue(Script.sse().sendHead().stall().send("body"));
        try (RawClient client = new RawClient(upstream.port()).send("GET", "/", "")) {
            assertThat(client.head()).startsWith("HTTP/1.1 200 OK");
            upstream.awaitConnection(0).release();
            assertThat(client.chunks()).containsExactly("body");
        }
    }

    @Test
    void sendLaterWritesWhatTheTestGivesWhenItGivesIt() throws Exception {
        CompletableFuture<String> rest = new CompletableFuture<>();
        CompletableFuture<String> lastChunk = new CompletableFuture<>();
        upstream.enqueue(Script.sse()
                .send("first")
                .sendLater(rest)
                .sendRawLater(lastChunk)
                .hold());
        try (RawClient client = new RawClient(upstream.port()).send("GET", "/", "")) {
            client.head();
            assertThat(client.line()).isEqualTo("5");
            assertThat(client.line()).isEqualTo("first");

            rest.complete("second");
            assertThat(client.line()).isEqualTo("6");
            assertThat(client.line()).isEqualTo("second");
            lastChunk.complete("0\r\n\r\n");
            assertThat(client.line()).isEqualTo("0");
        }
    }

    @Test
    void aGateHoldsTheRestOfTheBodyUntilTheTestOpensIt() throws Exception {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        CountDownLatch latch = new CountDownLatch(1);
        upstream.enqueue(
                Script.sse().send("a").await(gate).send("b").await(latch).send("c"));
        try (RawClient client = new RawClient(upstream.port()).send("GET", "/", "")) {
            client.head();
            assertThat(client.line()).isEqualTo("1");
            assertThat(client.line()).isEqualTo("a");

            gate.completeExceptionally(new IllegalStateException("a failed gate opens too"));
            latch.countDown();

            assertThat(client.chunks()).containsExactly("b", "c");
        }
    }

    @Test
    void aGateNobodyOpensClosesTheConnectionAfterTheGuard() throws Exception {
        try (FakeUpstream quick =
                FakeUpstream.builder().guard(Duration.ofMillis(300)).start()) {
            quick.enqueue(
                    Script.sse().send("a").await(new CompletableFuture<>()).send("never"));
            try (RawClient client = new RawClient(quick.port()).send("GET", "/", "")) {
                client.head();
                assertThat(client.rest()).isEqualTo("1\r\na\r\n");
            }
            assertThat(quick.awaitConnection(0).ended()).succeedsWithin(WAIT);
        }
    }

    @Test
    void aCutEndsTheBodyWithAFin() throws Exception {
        upstream.enqueue(Script.sse().send("part").cut());
        try (RawClient client = new RawClient(upstream.port()).send("GET", "/", "")) {
            client.head();
            assertThat(client.rest()).isEqualTo("4\r\npart\r\n");
        }
        UpstreamConnection connection = upstream.awaitConnection(0);
        assertThat(connection.ended()).succeedsWithin(WAIT);
        assertThat(connection.closedByClient()).isNotDone();
        assertThatThrownBy(connection::awaitClosedByClient)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the server closed the connection before the client did");
    }

    @Test
    void aCutBeforeAnyWriteClosesWithoutAResponse() throws Exception {
        upstream.enqueue(Script.sse().cut());
        try (RawClient client = new RawClient(upstream.port()).send("GET", "/", "")) {
            assertThat(client.rest()).isEmpty();
        }
    }

    @Test
    void aResetEndsTheConnectionWithAnRst() throws Exception {
        CountDownLatch taken = new CountDownLatch(1);
        upstream.enqueue(Script.sse().send("x").await(taken).reset());
        try (RawClient client = new RawClient(upstream.port()).send("GET", "/", "")) {
            client.head();
            assertThat(client.line()).isEqualTo("1");
            assertThat(client.line()).isEqualTo("x");
            taken.countDown();
            assertThat(upstream.awaitConnection(0).ended()).succeedsWithin(WAIT);

            assertThatThrownBy(() -> client.in.read()).isInstanceOf(SocketException.class);
        }
    }

    @Test
    void holdSendsNothingMoreUntilTheClientCloses() throws Exception {
        upstream.enqueue(Script.sse().send("a").hold());
        RawClient client = new RawClient(upstream.port()).send("GET", "/", "");
        client.head();
        assertThat(client.line()).isEqualTo("1");
        assertThat(client.line()).isEqualTo("a");
        UpstreamConnection connection = upstream.awaitConnection(0);

        client.socket.setSoLinger(true, 0); // a reset counts as the client's close too
        client.close();

        assertThat(connection.awaitClosedByClient()).isPositive();
        assertThat(connection.ended()).succeedsWithin(WAIT);
    }

    @Test
    void closeFromServerEndsAnIdleKeptConnection() throws Exception {
        upstream.enqueue(Script.sse().send("a").keepAlive());
        try (RawClient client = new RawClient(upstream.port()).send("GET", "/", "")) {
            client.head();
            client.chunks();
            UpstreamConnection idle = upstream.awaitConnection(0);

            idle.closeFromServer();

            assertThat(idle.ended()).succeedsWithin(WAIT);
            assertThat(client.rest()).isEmpty();
            assertThat(idle.closedByClient()).isNotDone();
        }
    }

    @Test
    void closingTheUpstreamReleasesStallsAndClosesConnections() throws Exception {
        FakeUpstream closing = FakeUpstream.start();
        closing.enqueue(Script.sse().send("a").stall().send("b"));
        try (RawClient client = new RawClient(closing.port()).send("GET", "/", "")) {
            assertThat(closing.awaitConnection(0).stalled()).succeedsWithin(WAIT);

            closing.close();

            assertThat(closing.awaitConnection(0).ended()).succeedsWithin(WAIT);
            client.head();
            assertThat(client.rest()).startsWith("1\r\na\r\n");
        }
    }

    @Test
    void throttlePacesWritesOnTheRealClock() throws Exception {
        // the only real-time step: it exists for tests of pacing; here only the bytes are checked
        upstream.enqueue(
                Script.sse().throttle("abcdefg", 3, Duration.ofMillis(1)).pause(Duration.ofMillis(1)));
        try (RawClient client = new RawClient(upstream.port()).send("GET", "/", "")) {
            client.head();
            assertThat(client.chunks()).containsExactly("abc", "def", "g");
        }
    }

    @Test
    void aClientThatSendsNoRequestIsAConnectionWithoutRequests() throws IOException {
        RawClient client = new RawClient(upstream.port());
        UpstreamConnection connection = upstream.awaitConnection(0);

        client.close();

        connection.awaitClosedByClient();
        assertThat(connection.requests()).isEmpty();
        assertThat(upstream.requests()).isEmpty();
    }
}
