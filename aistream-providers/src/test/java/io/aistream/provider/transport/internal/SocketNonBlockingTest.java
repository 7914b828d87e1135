package io.aistream.provider.transport.internal;

import static io.aistream.provider.transport.internal.SocketTests.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.aistream.testing.FakeUpstream;
import io.aistream.testing.Script;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link NonBlockingBody}: plain connections read without blocking, woken by the shared I/O loops. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SocketNonBlockingTest {
    private final FakeUpstream server = FakeUpstream.start();
    private final SocketHttpTransport transport =
            new SocketHttpTransport(null, Duration.ofSeconds(2), 2048, 4, Duration.ofSeconds(30), "aistream-test");

    @AfterEach
    void stop() {
        server.close();
        transport.closeIdleConnections();
    }

    private Exchange started() throws Exception {
        Exchange exchange = transport.newExchange(post(server.baseUri(), Map.of(), "{}"), "test");
        exchange.start();
        return exchange;
    }

    private int idle() {
        return transport.pool().idleCount(Endpoint.of(server.baseUri()));
    }

    /** Reads {@code body} to its end without blocking, waiting for the loop's callback between reads. */
    private static String readToEnd(NonBlockingBody body) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64];
        while (true) {
            int n = body.readNow(buf, 0, buf.length);
            if (n < 0) {
                return out.toString(StandardCharsets.UTF_8);
            }
            if (n > 0) {
                out.write(buf, 0, n);
                continue;
            }
            CompletableFuture<Void> readable = new CompletableFuture<>();
            body.onReadable(() -> readable.complete(null));
            readable.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aBodyReadWithoutBlockingGoesBackToThePoolAndTheNextExchangeReadsItBlocking() throws Exception {
        CompletableFuture<String> rest = new CompletableFuture<>();
        server.enqueue(Script.raw()
                .sendRaw(Script.CHUNKED_SSE_HEAD + "3\r\nabc\r\n")
                .sendRawLater(rest)
                .keepAlive());
        server.enqueue(SocketTests.chunkedSse("again"));
        Exchange exchange = started();
        NonBlockingBody body = exchange.nonBlockingBody().orElseThrow();
        byte[] buf = new byte[16];
        assertThat(body.readNow(buf, 0, buf.length)).isEqualTo(3);
        assertThat(body.readNow(buf, 0, buf.length)).isZero();
        CompletableFuture<Thread> woken = new CompletableFuture<>();
        body.onReadable(() -> woken.complete(Thread.currentThread()));
        rest.complete("2\r\nde\r\n0\r\n\r\n");

        assertThat(woken.get(10, TimeUnit.SECONDS).getName()).startsWith("aistream-upstream-io-");
        assertThat(readToEnd(body)).isEqualTo("de");

        await().atMost(Duration.ofSeconds(10)).until(() -> idle() == 1);
        assertThat(SocketTests.exchange(transport, server.baseUri())).isEqualTo("again");
        assertThat(server.connections()).hasSize(1);
    }

    /**
     * The first exchange's consumer lets go of its body (disarm) only after the connection went back to the pool
     * and the next exchange on it armed the same watch: that arming must survive (a lost one left the second
     * stream parked with its bytes unread, found at 1,000 gateway streams).
     */
    @Test
    void aLateDisarmOfAFinishedBodyLeavesTheNextExchangesArmingInPlace() throws Exception {
        server.enqueue(SocketTests.chunkedSse("first"));
        CompletableFuture<String> later = new CompletableFuture<>();
        server.enqueue(Script.raw()
                .sendRaw(Script.CHUNKED_SSE_HEAD)
                .sendRawLater(later)
                .keepAlive());
        Exchange first = started();
        NonBlockingBody firstBody = first.nonBlockingBody().orElseThrow();
        assertThat(readToEnd(firstBody)).contains("first");
        await().atMost(Duration.ofSeconds(10)).until(() -> idle() == 1);

        Exchange second = started();
        assertThat(server.connections()).hasSize(1); // the same connection, so the same watch
        NonBlockingBody secondBody = second.nonBlockingBody().orElseThrow();
        assertThat(secondBody.readNow(new byte[8], 0, 8)).isZero();
        CompletableFuture<Void> woken = new CompletableFuture<>();
        secondBody.onReadable(() -> woken.complete(null));
        firstBody.disarm(); // the first consumer releasing its readiness, late
        later.complete("4\r\nnext\r\n0\r\n\r\n");

        woken.get(10, TimeUnit.SECONDS);
        assertThat(readToEnd(secondBody)).isEqualTo("next");
    }

    @Test
    void abortWhileArmedRunsTheCallbackAndClosesTheSocket() throws Exception {
        server.enqueue(Script.raw().sendRaw(Script.CHUNKED_SSE_HEAD).hold());
        Exchange exchange = started();
        NonBlockingBody body = exchange.nonBlockingBody().orElseThrow();
        assertThat(body.readNow(new byte[8], 0, 8)).isZero();
        CompletableFuture<Void> woken = new CompletableFuture<>();
        body.onReadable(() -> woken.complete(null));

        exchange.abort();

        assertThat(woken).isDone();
        server.awaitConnection(0).awaitClosedByClient();
        assertThatThrownBy(() -> body.readNow(new byte[8], 0, 8)).isInstanceOf(IOException.class);
        assertThat(idle()).isZero();
    }

    @Test
    void closingTheBodyBeforeItsEndAfterNonBlockingReadsLingersInBlockingModeAndReuses() throws Exception {
        CompletableFuture<String> last = new CompletableFuture<>();
        server.enqueue(Script.raw()
                .sendRaw(Script.CHUNKED_SSE_HEAD + "5\r\nhello\r\n")
                .sendRawLater(last)
                .keepAlive());
        server.enqueue(SocketTests.chunkedSse("again"));
        Exchange exchange = started();
        NonBlockingBody body = exchange.nonBlockingBody().orElseThrow();
        assertThat(body.readNow(new byte[8], 0, 8)).isEqualTo(5);
        assertThat(body.readNow(new byte[8], 0, 8)).isZero();
        body.onReadable(() -> {});

        exchange.body().close(); // the last chunk is still to come: a linger picks it up
        last.complete("0\r\n\r\n");

        await().atMost(Duration.ofSeconds(10)).until(() -> idle() == 1);
        assertThat(SocketTests.exchange(transport, server.baseUri())).isEqualTo("again");
        assertThat(server.connections()).hasSize(1);
    }

    @Test
    void aCallbackThatThrowsDoesNotStopTheLoopForTheOthers() throws Exception {
        int others = 2 * IoLoops.size(); // round-robin: some share the failing callback's loop
        List<CompletableFuture<String>> gates = new ArrayList<>();
        for (int i = 0; i <= others; i++) {
            CompletableFuture<String> gate = new CompletableFuture<>();
            gates.add(gate);
            server.enqueue(Script.raw()
                    .sendRaw(Script.CHUNKED_SSE_HEAD)
                    .sendRawLater(gate)
                    .keepAlive());
        }
        List<NonBlockingBody> bodies = new ArrayList<>();
        for (int i = 0; i <= others; i++) {
            NonBlockingBody body = started().nonBlockingBody().orElseThrow();
            assertThat(body.readNow(new byte[8], 0, 8)).isZero();
            bodies.add(body);
        }
        CompletableFuture<Void> thrown = new CompletableFuture<>();
        bodies.getFirst().onReadable(() -> {
            thrown.complete(null);
            throw new IllegalStateException("a broken consumer");
        });
        gates.getFirst().complete("1\r\nx\r\n");
        thrown.get(10, TimeUnit.SECONDS);

        List<CompletableFuture<Void>> woken = new ArrayList<>();
        for (int i = 1; i <= others; i++) {
            CompletableFuture<Void> w = new CompletableFuture<>();
            woken.add(w);
            bodies.get(i).onReadable(() -> w.complete(null));
            gates.get(i).complete("1\r\ny\r\n");
        }

        CompletableFuture.allOf(woken.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        for (int i = 1; i <= others; i++) {
            assertThat(bodies.get(i).readNow(new byte[8], 0, 8)).isEqualTo(1);
        }
    }

    @Test
    void releaseFromAnotherThreadWaitsForTheLoopThenBlockingReadsWork() throws Exception {
        CompletableFuture<String> rest = new CompletableFuture<>();
        server.enqueue(
                Script.raw().sendRaw(Script.CHUNKED_SSE_HEAD).sendRawLater(rest).keepAlive());
        Exchange exchange = started();
        NonBlockingBody body = exchange.nonBlockingBody().orElseThrow();
        assertThat(body.readNow(new byte[8], 0, 8)).isZero();
        body.onReadable(() -> {});

        body.disarm();
        body.toBlocking();
        body.toBlocking(); // idempotent
        rest.complete("4\r\nrest\r\n0\r\n\r\n");

        assertThat(SocketTests.readAll(exchange.body(), 3)).isEqualTo("rest");
        assertThat(idle()).as("given back at once: blocking already").isEqualTo(1);
    }
}
