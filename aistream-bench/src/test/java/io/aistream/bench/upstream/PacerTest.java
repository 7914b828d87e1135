package io.aistream.bench.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.aistream.bench.http.Http1;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The event-loop pacer behind the fake upstream's streamed HTTP responses, over real sockets. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PacerTest {
    private static final long MS = 1_000_000L;
    private FakeUpstream upstream;

    @BeforeEach
    void start() throws IOException {
        upstream = FakeUpstream.start();
    }

    @AfterEach
    void stop() {
        upstream.close();
    }

    @Test
    void pacedChunksArriveInOrderOnTheirScheduleStampedWithTheirSendTime() throws IOException {
        try (Conn c = new Conn(0)) {
            long asked = System.nanoTime();
            c.post(
                    "/v1/chat/completions",
                    "{\"stream\":true,\"aistream_bench\":{\"chunks\":30,\"rate\":100,\"chunkSize\":8}}");
            Response r = c.response();
            long received = System.nanoTime();

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).endsWith("data: [DONE]\n\n");
            long[] sent = r.stamps();
            assertThat(sent).hasSize(30);
            for (int i = 0; i < sent.length; i++) {
                // chunk i is due 10 ms × i after the request was taken, which was after it was asked
                assertThat(sent[i] - asked).as("chunk %d", i).isGreaterThanOrEqualTo(i * 10 * MS);
                assertThat(sent[i]).as("chunk %d", i).isLessThan(received);
            }
            long[] gaps = new long[sent.length - 1];
            for (int i = 1; i < sent.length; i++) {
                gaps[i - 1] = sent[i] - sent[i - 1];
            }
            Arrays.sort(gaps);
            // an absolute schedule: typical spacing is the interval (not a burst, not a multiple of it; wide
            // bounds so a loaded machine's scheduling delays do not fail it), and lateness does not accumulate
            assertThat(gaps[gaps.length / 2]).isBetween(3 * MS, 19 * MS);
            assertThat(sent[29] - sent[0]).isBetween(240 * MS, 290 * MS + 500 * MS);
        }
        assertThat(upstream.stats().lagP99Micros()).isLessThan(1_000_000);
    }

    @Test
    void theNativeStandInIsPacedToo() throws IOException {
        try (Conn c = new Conn(0)) {
            c.post(
                    "/v1/stream",
                    "{\"model\":\"m\",\"maxOutputTokens\":5,\"providerOptions\":{\"aistream_bench\":{\"rate\":200}}}");
            Response r = c.response();

            assertThat(r.stamps()).hasSize(5);
            assertThat(r.body()).contains("id: 4\ndata: {\"id\":\"st_bench").endsWith("data: [DONE]\n\n");
        }
    }

    @Test
    void aCutClosesThePacedStreamAfterNChunks() throws IOException {
        try (Conn c = new Conn(0)) {
            c.post(
                    "/v1/chat/completions",
                    "{\"stream\":true,\"aistream_bench\":{\"chunks\":20,\"rate\":200,\"fault\":\"cut@5\"}}");
            String raw = new String(c.in.readAllBytes(), StandardCharsets.UTF_8);

            assertThat(raw).startsWith("HTTP/1.1 200 ");
            assertThat(Stamp.scan(raw, (seq, t) -> {})).isEqualTo(5);
            assertThat(raw).doesNotContain("[DONE]").doesNotEndWith("0\r\n\r\n");
        }
        await("the stream ended", () -> upstream.stats().streamsActive() == 0);
        assertThat(upstream.stats().streamsCut()).isEqualTo(1);
    }

    @Test
    void aStallPausesThePacedStreamThenPacingResumesFromItsEnd() throws IOException {
        try (Conn c = new Conn(0)) {
            c.post(
                    "/v1/chat/completions",
                    "{\"stream\":true,\"aistream_bench\":{\"chunks\":6,\"rate\":100,\"fault\":\"stall@3:250\"}}");
            long[] sent = c.response().stamps();

            assertThat(sent).hasSize(6);
            assertThat(sent[3] - sent[2]).isGreaterThanOrEqualTo(250 * MS);
            // pacing resumes from the stall's end: chunks 4 and 5 keep their 10 ms spacing after it (had it
            // kept the old schedule, 3, 4 and 5 would all go at the stall's end). Only lower bounds: a loaded
            // machine can make any send later, never earlier.
            assertThat(sent[5] - sent[2]).isGreaterThanOrEqualTo(265 * MS);
        }
        assertThat(upstream.stats().stalls()).isEqualTo(1);
    }

    /**
     * A client that does not read: TCP pushes back, the pacer holds the rest of its write and sends
     * nothing more on that stream; once the client reads, everything arrives in order, and the
     * connection is then reused (the socket goes back from the selector to blocking mode).
     */
    @ParameterizedTest(name = "rate {0}")
    @ValueSource(ints = {0, 1000})
    void aClientThatDoesNotReadHoldsTheStreamBackThenGetsEverything(int rate) throws IOException {
        int chunks = rate == 0 ? 30_000 : 400;
        int chunkSize = rate == 0 ? 1000 : 40_000;
        try (Conn c = new Conn(4096)) {
            c.post(
                    "/v1/chat/completions",
                    "{\"stream\":true,\"aistream_bench\":{\"chunks\":" + chunks + ",\"rate\":" + rate
                            + ",\"chunkSize\":" + chunkSize + "}}");

            await("the stream blocked on a full socket", () -> upstream.streamsBlocked() == 1);
            long sent = upstream.stats().chunksSent();
            assertThat(sent).isLessThan(chunks);
            // bounded by the socket buffers (a few MB), not by the stream's length
            assertThat(sent * chunkSize).isLessThan(8L << 20);
            assertThat(upstream.stats().streamsActive()).isEqualTo(1);
            assertThat(upstream.streamsBlocked()).isEqualTo(1);
            assertThat(upstream.stats().chunksSent()).isEqualTo(sent);

            Response r = c.response();
            long[] stamps = r.stamps();
            assertThat(stamps).hasSize(chunks);
            assertThat(r.body()).endsWith("data: [DONE]\n\n");
            assertThat(upstream.stats().streamsCompleted()).isEqualTo(1);

            c.post("/v1/chat/completions", "{\"stream\":true,\"aistream_bench\":{\"chunks\":3,\"rate\":0}}");
            assertThat(c.response().stamps()).hasSize(3);
        }
        assertThat(upstream.stats().connections()).isEqualTo(1);
        assertThat(upstream.streamsBlocked()).isZero();
    }

    @Test
    void aClientLeavingMidStreamIsAnAbortAndFreesTheStream() throws IOException {
        try (Conn c = new Conn(0)) {
            c.post("/v1/chat/completions", "{\"stream\":true,\"aistream_bench\":{\"chunks\":1000,\"rate\":100}}");
            c.readUntilStamps(3);
        }
        await("the abort was noticed", () -> upstream.stats().streamsAborted() == 1);
        assertThat(upstream.stats().streamsActive()).isZero();
        await("the connection was closed", () -> upstream.stats().openConnections() == 0);
    }

    @Test
    void anAbortStormLeavesNoActiveStreams() throws IOException {
        int n = 200;
        List<Conn> conns = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                Conn c = new Conn(0);
                conns.add(c);
                c.post("/v1/chat/completions", "{\"stream\":true,\"aistream_bench\":{\"chunks\":1000,\"rate\":50}}");
            }
            await("all streams started", () -> upstream.stats().streamsActive() == n);
            for (Conn c : conns) {
                c.readUntilStamps(1);
            }
        } finally {
            for (Conn c : conns) {
                c.close();
            }
        }
        await("every abort was noticed", () -> upstream.stats().streamsAborted() == n);
        assertThat(upstream.stats().streamsActive()).isZero();
        await("every connection was closed", () -> upstream.stats().openConnections() == 0);
    }

    @Test
    void aConnectionIsReusedAfterEachCleanStream() throws IOException {
        try (Conn c = new Conn(0)) {
            for (int i = 0; i < 3; i++) {
                c.post("/v1/chat/completions", "{\"stream\":true,\"aistream_bench\":{\"chunks\":5,\"rate\":200}}");
                Response r = c.response();
                assertThat(r.stamps()).as("stream %d", i).hasSize(5);
                assertThat(r.body()).endsWith("data: [DONE]\n\n");
            }
            c.get("/health");
            assertThat(c.response().body()).contains("ok");
        }
        assertThat(upstream.stats().connections()).isEqualTo(1);
        assertThat(upstream.stats().streamsCompleted()).isEqualTo(3);
        assertThat(upstream.stats().chunksSent()).isEqualTo(15);
    }

    @Test
    void closingTheServerEndsRunningStreamsAsAborted() throws IOException {
        try (Conn c = new Conn(0)) {
            c.post(
                    "/v1/chat/completions",
                    "{\"stream\":true,\"aistream_bench\":{\"chunks\":10,\"rate\":100,\"fault\":\"stall@1:60000\"}}");
            c.readUntilStamps(1);
            await("the stream is stalled", () -> upstream.stats().stalls() == 1);

            upstream.close();

            try {
                c.in.readAllBytes(); // the connection ends
            } catch (IOException reset) {
                // as good an end as any
            }
        }
        await("the stream ended", () -> upstream.stats().streamsActive() == 0);
        assertThat(upstream.stats().streamsAborted()).isEqualTo(1);
        await("the connection was closed", () -> upstream.stats().openConnections() == 0);
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 20_000 * MS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting until " + what);
            }
            Thread.yield();
        }
    }

    private record Response(int status, String body) {
        long[] stamps() {
            List<long[]> found = new ArrayList<>();
            Stamp.scan(body, (seq, t) -> found.add(new long[] {seq, t}));
            for (int i = 0; i < found.size(); i++) {
                assertThat(found.get(i)[0]).as("sequence number %d", i).isEqualTo(i % 1_000_000);
            }
            return found.stream().mapToLong(s -> s[1]).toArray();
        }
    }

    /** A keep-alive HTTP/1.1 client connection on a plain socket. */
    private final class Conn implements AutoCloseable {
        final Socket socket = new Socket();
        final InputStream in;
        final OutputStream out;

        /** @param receiveBuffer the socket's receive buffer, or 0 for the default */
        Conn(int receiveBuffer) throws IOException {
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(new InetSocketAddress("127.0.0.1", upstream.port()));
            in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            out = socket.getOutputStream();
        }

        void post(String path, String body) throws IOException {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            out.write(("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                            + b.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.flush();
        }

        void get(String path) throws IOException {
            out.write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        /** Reads one whole response (chunked or with a length), leaving the connection at the next. */
        Response response() throws IOException {
            Http1.Head head = Http1.readHead(in);
            assertThat(head).isNotNull();
            int status = Integer.parseInt(head.startLine().split(" ")[1]);
            byte[] body = Http1.body(in, head, false).readAllBytes();
            return new Response(status, new String(body, StandardCharsets.UTF_8));
        }

        /** Reads raw bytes until {@code n} stamps have arrived. */
        void readUntilStamps(int n) throws IOException {
            StringBuilder seen = new StringBuilder();
            byte[] buf = new byte[4096];
            while (Stamp.scan(seen, (seq, t) -> {}) < n) {
                int r = in.read(buf);
                if (r < 0) {
                    fail("the stream ended before " + n + " chunks");
                }
                seen.append(new String(buf, 0, r, StandardCharsets.ISO_8859_1));
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
