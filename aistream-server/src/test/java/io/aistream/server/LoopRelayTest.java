package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aistream.chunk.ChunkJson;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import io.aistream.sse.SseEvent;
import io.aistream.sse.SseReader;
import io.aistream.stream.VirtualTimeSource;
import io.aistream.testing.RawHttp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The event-loop relay over real Jetty and real sockets: after the first chunk, a non-resumable stream whose
 * source offers readiness is pulled and written by the threads that signal (here the test's own thread when
 * it feeds the {@link ReadySource}, and Jetty's when a write completes), never by the request's thread, on
 * every streaming endpoint; slow clients, disconnects, aborts, keep-alives, a source that needs a thread
 * again and a failing source behave as on the blocking path.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoopRelayTest {
    private static final String MESSAGES = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    /** The five streaming endpoints, each asked for a non-resumable stream of the ready provider. */
    enum Endpoint {
        NATIVE("/v1/stream", "{\"provider\":\"ready\",\"model\":\"m\"," + MESSAGES + "}"),
        OPENAI_CHAT("/v1/chat/completions", "{\"model\":\"ready/m\",\"stream\":true," + MESSAGES + "}"),
        RESPONSES("/v1/responses", "{\"model\":\"ready/m\",\"stream\":true,\"store\":false,\"input\":\"hi\"}"),
        MESSAGES_API("/v1/messages", "{\"model\":\"ready/m\",\"max_tokens\":64,\"stream\":true," + MESSAGES + "}"),
        UI(
                "/v1/ui/chat",
                "{\"messages\":[{\"id\":\"u1\",\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":\"hi\"}]}],"
                        + "\"trigger\":\"submit-message\",\"model\":\"ready/m\",\"resumable\":false}");

        final String path;
        final String body;

        Endpoint(String path, String body) {
            this.path = path;
            this.body = body;
        }
    }

    private static TestGateway gateway(ReadyProvider provider) throws IOException {
        return TestGateway.start(b -> b.provider(provider));
    }

    private static RawHttp post(TestGateway g, Endpoint endpoint) throws IOException {
        RawHttp http = RawHttp.postJson(g.port(), endpoint.path, endpoint.body);
        assertThat(http.status()).as(endpoint.path).isEqualTo(200);
        return http;
    }

    /** Reads events until one's data contains {@code needle}; the data read, in order. */
    private static List<String> readUntil(SseReader reader, String needle) {
        List<String> data = new ArrayList<>();
        while (true) {
            Optional<SseEvent> e = reader.next();
            if (e.isEmpty()) {
                throw new AssertionError("the stream ended before " + needle + ": " + data);
            }
            data.add(e.get().data());
            if (e.get().data().contains(needle)) {
                return data;
            }
        }
    }

    private static List<String> readAll(SseReader reader) {
        List<String> data = new ArrayList<>();
        for (Optional<SseEvent> e = reader.next(); e.isPresent(); e = reader.next()) {
            data.add(e.get().data());
        }
        return data;
    }

    /** The request's thread pulled the first chunk; no later {@code next()} ran on it. */
    private static void assertLoopPulledAfterTheFirst(ReadySource source) throws InterruptedException {
        source.awaitRelease(); // the relay ran and handed the stream back
        List<Thread> readers = source.readers();
        assertThat(readers).hasSizeGreaterThan(1);
        Thread request = readers.getFirst();
        assertThat(request.isVirtual()).isTrue();
        assertThat(readers.subList(1, readers.size())).doesNotContain(request);
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void relaysEveryChunkInOrderOffTheRequestThread(Endpoint endpoint) throws Exception {
        ReadyProvider provider = new ReadyProvider();
        try (TestGateway g = gateway(provider);
                RawHttp http = post(g, endpoint)) {
            ReadySource source = provider.nextSource();
            SseReader events = http.sse();
            source.arrive(ContentChunk.of("tok0_"));
            List<String> seen = new ArrayList<>(readUntil(events, "tok0_"));
            for (int i = 1; i <= 5; i++) { // each arrives while the stream is parked on the loop
                source.awaitArmed().arrive(ContentChunk.of("tok" + i + "_"));
                seen.addAll(readUntil(events, "tok" + i + "_"));
            }
            source.awaitArmed()
                    .arrive(ContentChunk.of("tok6_"), ContentChunk.of("tok7_"), DoneChunk.of(FinishReason.STOP));
            seen.addAll(readAll(events));

            String all = String.join("\n", seen);
            int at = -1;
            for (int i = 0; i <= 7; i++) {
                int next = all.indexOf("tok" + i + "_");
                assertThat(next).as("tok%d after tok%d in %s", i, i - 1, all).isGreaterThan(at);
                at = next;
            }
            switch (endpoint) {
                case NATIVE, OPENAI_CHAT, UI -> assertThat(seen.getLast()).isEqualTo("[DONE]");
                case RESPONSES -> assertThat(seen.getLast()).contains("response.completed");
                case MESSAGES_API -> assertThat(seen.getLast()).contains("message_stop");
            }
            assertLoopPulledAfterTheFirst(source);
        }
    }

    @Test
    void relaysOverH2cAndAResetStreamWhileParkedCancelsTheSource() throws Exception {
        ReadyProvider provider = new ReadyProvider();
        try (TestGateway g = gateway(provider);
                HttpClient client = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_2)
                        .build()) {
            // the first request upgrades the connection to h2c
            client.send(
                    HttpRequest.newBuilder(g.server.uri().resolve("/health")).build(),
                    HttpResponse.BodyHandlers.discarding());
            HttpRequest post = HttpRequest.newBuilder(g.server.uri().resolve("/v1/stream"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Endpoint.NATIVE.body))
                    .build();

            HttpResponse<InputStream> first = client.send(post, HttpResponse.BodyHandlers.ofInputStream());
            assertThat(first.version()).isEqualTo(HttpClient.Version.HTTP_2);
            ReadySource source = provider.nextSource();
            source.arrive(ContentChunk.of("a_"));
            try (SseReader events = new SseReader(first.body())) {
                readUntil(events, "a_");
                source.awaitArmed().arrive(ContentChunk.of("b_"));
                readUntil(events, "b_");
                source.awaitArmed().arrive(ContentChunk.of("c_"), DoneChunk.of(FinishReason.STOP));
                List<String> rest = readAll(events);
                assertThat(rest.getLast()).isEqualTo("[DONE]");
            }
            assertLoopPulledAfterTheFirst(source);

            HttpResponse<InputStream> second = client.send(post, HttpResponse.BodyHandlers.ofInputStream());
            ReadySource parked = provider.nextSource();
            parked.arrive(ContentChunk.of("x_"));
            SseReader events = new SseReader(second.body());
            readUntil(events, "x_");
            parked.awaitArmed();
            events.close(); // cancels the HTTP/2 stream: RST_STREAM
            parked.awaitCancel();
        }
    }

    @Test
    void aSlowClientStopsThePullsAndReadingResumesEverything() throws Exception {
        ReadyProvider provider = new ReadyProvider();
        try (TestGateway g = gateway(provider);
                Socket client = new Socket()) {
            client.setReceiveBufferSize(4096); // before connecting: the window the server sees stays small
            client.connect(new InetSocketAddress("127.0.0.1", g.port()), 5000);
            client.setSoTimeout(30_000);
            byte[] body = Endpoint.NATIVE.body.getBytes(StandardCharsets.UTF_8);
            client.getOutputStream()
                    .write(("POST /v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                    + "Connection: close\r\nContent-Length: " + body.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            client.getOutputStream().write(body);
            client.getOutputStream().flush();
            ReadySource source = provider.nextSource();
            source.arrive(ContentChunk.of("first"));

            // 24 MiB of events against a client that reads nothing: far more than the socket buffers hold
            int count = 1500;
            String text = "x".repeat(16 * 1024);
            source.awaitArmed();
            for (int i = 0; i < count; i++) {
                source.arrive(ContentChunk.of(text));
            }
            AtomicInteger last = new AtomicInteger(-1);
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> source.queued() == last.getAndSet(source.queued()));
            int left = source.queued();
            assertThat(left)
                    .as("the relay stops pulling while the client does not read (socket buffers hold < 5 MiB)")
                    .isGreaterThan(count - 5 * 64);
            source.arrive(DoneChunk.of(FinishReason.STOP));

            byte[] all = readToEnd(client.getInputStream());
            String received = new String(all, StandardCharsets.UTF_8);
            assertThat(received).startsWith("HTTP/1.1 200 ");
            assertThat(occurrences(received, "\nid: ")).isEqualTo(count + 2); // first, the rest, the done
            assertThat(received).contains("data: [DONE]\n\n");
            assertThat(source.queued()).isZero();
            assertLoopPulledAfterTheFirst(source);
        }
    }

    private static byte[] readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    private static int occurrences(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void aClientThatLeavesWhileParkedCancelsTheSourceWithin100Milliseconds() throws Exception {
        ReadyProvider provider = new ReadyProvider();
        try (TestGateway g = gateway(provider)) {
            RawHttp http = post(g, Endpoint.NATIVE);
            ReadySource source = provider.nextSource();
            SseReader events = http.sse();
            source.arrive(ContentChunk.of("a_"));
            readUntil(events, "a_");
            source.awaitArmed().arrive(ContentChunk.of("b_")); // relayed by the loop: the stream is parked there now
            readUntil(events, "b_");

            long closed = System.nanoTime();
            http.close();
            long cancelled = source.awaitCancel();

            assertThat(Duration.ofNanos(cancelled - closed)).isLessThan(Duration.ofMillis(100));
            assertLoopPulledAfterTheFirst(source);
        }
    }

    @Test
    void aDeleteWhileParkedEndsTheStreamWithDoneAborted() throws Exception {
        ReadyProvider provider = new ReadyProvider();
        try (TestGateway g = gateway(provider);
                RawHttp http = post(g, Endpoint.NATIVE)) {
            String id = http.header("X-Stream-Id").orElseThrow();
            ReadySource source = provider.nextSource();
            SseReader events = http.sse();
            source.arrive(ContentChunk.of("a_"));
            readUntil(events, "a_");
            source.awaitArmed().arrive(ContentChunk.of("b_"));
            readUntil(events, "b_");

            try (RawHttp delete = RawHttp.request(g.port(), "DELETE", "/v1/streams/" + id, Map.of(), null)) {
                assertThat(delete.status()).isEqualTo(200);
            }

            List<String> rest = readAll(events);
            assertThat(rest.getLast()).isEqualTo("[DONE]");
            assertThat(ChunkJson.parse(rest.get(rest.size() - 2)))
                    .isInstanceOfSatisfying(
                            DoneChunk.class, d -> assertThat(d.finishReason()).isEqualTo(FinishReason.ABORTED));
            assertThat(source.isCancelled()).isTrue();
            assertLoopPulledAfterTheFirst(source);
        }
    }

    @Test
    void keepAlivesGoOutWhileTheStreamIsParked() throws Exception {
        VirtualTimeSource clock = new VirtualTimeSource();
        ReadyProvider provider = new ReadyProvider();
        try (TestGateway g = TestGateway.start(b -> b.provider(provider).timeSource(clock));
                RawHttp http = post(g, Endpoint.NATIVE)) {
            ReadySource source = provider.nextSource();
            assertThat(http.nextHttpChunk()).isEqualTo("retry: 3000\n\n");
            source.arrive(ContentChunk.of("a"));
            assertThat(http.nextHttpChunk()).startsWith("id: 0\n");
            source.awaitArmed().arrive(ContentChunk.of("b"));
            assertThat(http.nextHttpChunk()).startsWith("id: 1\n");

            clock.advance(Duration.ofSeconds(15));
            assertThat(http.nextHttpChunk()).isEqualTo(": keepalive\n\n");
            clock.advance(Duration.ofSeconds(15));
            assertThat(http.nextHttpChunk()).isEqualTo(": keepalive\n\n");

            source.awaitArmed().arrive(ContentChunk.of("c"));
            assertThat(http.nextHttpChunk()).startsWith("id: 2\n");
            source.awaitArmed().arrive(DoneChunk.of(FinishReason.STOP));
            assertThat(http.nextHttpChunk()).startsWith("id: 3\n");
            assertThat(http.nextHttpChunk()).isEqualTo("data: [DONE]\n\n");
            assertThat(http.nextHttpChunk()).isNull();
            assertLoopPulledAfterTheFirst(source);
        }
    }

    @Test
    void aSourceThatNeedsAThreadIsPulledByTheRequestThreadFromThenOn() throws Exception {
        ReadyProvider provider = new ReadyProvider();
        try (TestGateway g = gateway(provider);
                RawHttp http = post(g, Endpoint.NATIVE)) {
            ReadySource source = provider.nextSource();
            SseReader events = http.sse();
            source.arrive(ContentChunk.of("a_"));
            readUntil(events, "a_");
            source.awaitArmed().arrive(ContentChunk.of("b_"));
            readUntil(events, "b_");

            source.awaitArmed().needThread();
            source.awaitRelease();
            source.awaitBlockedReader().arrive(ContentChunk.of("c_"), DoneChunk.of(FinishReason.STOP));
            List<String> rest = readAll(events);

            assertThat(String.join("\n", rest)).contains("c_");
            assertThat(rest.getLast()).isEqualTo("[DONE]");
            List<Thread> readers = source.readers();
            Thread request = readers.getFirst();
            assertThat(readers.getLast()).isSameAs(request);
            assertThat(readers.subList(1, readers.size())).anyMatch(t -> t != request);
        }
    }

    @Test
    void anErrorOnALoopStepEndsTheStreamWithAnErrorAndDoneError() throws Exception {
        ReadyProvider provider = new ReadyProvider();
        try (TestGateway g = gateway(provider);
                RawHttp http = post(g, Endpoint.NATIVE)) {
            ReadySource source = provider.nextSource();
            SseReader events = http.sse();
            source.arrive(ContentChunk.of("a_"));
            readUntil(events, "a_");
            source.awaitArmed().arrive(ContentChunk.of("b_"));
            readUntil(events, "b_");

            source.awaitArmed().breakWith(new StackOverflowError("a decoder recursed too deep (test)"));
            List<String> rest = readAll(events);

            assertThat(rest.getLast()).isEqualTo("[DONE]");
            StreamChunk error = ChunkJson.parse(rest.get(rest.size() - 3));
            assertThat(error).isInstanceOf(ErrorChunk.class);
            assertThat(ChunkJson.parse(rest.get(rest.size() - 2)))
                    .isInstanceOfSatisfying(
                            DoneChunk.class, d -> assertThat(d.finishReason()).isEqualTo(FinishReason.ERROR));
            assertLoopPulledAfterTheFirst(source);
        }
    }

    @Test
    void anIdleTimeoutWhileParkedEndsTheStreamWithTheTimeoutError() throws Exception {
        VirtualTimeSource clock = new VirtualTimeSource();
        ReadyProvider provider = new ReadyProvider();
        try (TestGateway g = TestGateway.start(b -> b.provider(provider).timeSource(clock));
                RawHttp http = RawHttp.postJson(
                        g.port(),
                        "/v1/stream",
                        "{\"provider\":\"ready\",\"model\":\"m\"," + MESSAGES + ",\"timeouts\":{\"idleMs\":5000}}")) {
            ReadySource source = provider.nextSource();
            SseReader events = http.sse();
            source.arrive(ContentChunk.of("a_"));
            readUntil(events, "a_");
            source.awaitArmed().arrive(ContentChunk.of("b_"));
            readUntil(events, "b_");

            source.awaitArmed(); // parked on the loop: the idle clock runs from the poll that found nothing
            clock.advance(Duration.ofSeconds(4));
            source.awaitArmed().arrive(ContentChunk.of("c_")); // 4 s of silence: still going
            readUntil(events, "c_");
            source.awaitArmed();
            clock.advance(Duration.ofSeconds(5));
            List<String> rest = readAll(events);

            assertThat(rest.getLast()).isEqualTo("[DONE]");
            assertThat(rest.get(rest.size() - 3)).contains("idle_timeout");
            assertThat(source.isCancelled()).isTrue();
            assertLoopPulledAfterTheFirst(source);
        }
    }
}
