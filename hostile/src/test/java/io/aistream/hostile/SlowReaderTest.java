package io.aistream.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.stream.ChatStream;
import io.aistream.testing.GatewayProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Readers that stop reading a long answer, under each backpressure strategy: what the gateway retains for
 * them stays under the documented per-stream bound (issue 11: {@code drop} used to keep the whole answer,
 * ~46 MB per slow reader, and {@code coalesce} 6–13 MB), and returns to zero when they leave.
 */
@Timeout(300)
class SlowReaderTest {
    private static final int READERS = 8;
    /** Per stream, for {@code buffer}, {@code drop} and {@code coalesce} with default settings: the byte bound,
     * a largest chunk well under it, and the terminal chunks. */
    private static final long BOUND = ChatStream.Builder.DEFAULT_BUFFER_BYTES + 4096;

    /** The smallest a full queue of the default capacity can be: 256 chunks of at least 96 bytes. */
    private static final double FULL_QUEUE = ChatStream.Builder.DEFAULT_BUFFER_CAPACITY * 96.0;

    private static final String STARTED = "aistream_streams_started_total{provider=\"simulated\",resumable=\"false\"}";

    private static GatewayProcess gateway;

    @BeforeAll
    static void start() throws IOException {
        gateway = HostileGateway.start("{}");
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"block", "buffer", "drop", "coalesce"})
    void pausedReadersOfALongAnswerRetainNoMoreThanTheBound(String strategy) throws Exception {
        int port = gateway.port();
        Metrics before = Metrics.scrape(port);
        List<Socket> readers = new ArrayList<>();
        try {
            for (int i = 0; i < READERS; i++) {
                readers.add(openPaused(port, strategy));
            }
            // wait until the gateway is behind every reader: the queues are as full as they get
            Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> behind(strategy, before));
            long peak = 0;
            for (int sample = 0; sample < 10; sample++) {
                peak = Math.max(
                        peak, (long) Metrics.scrape(port).get("aistream_memory_retained_bytes{pool=\"read_ahead\"}"));
            }
            Metrics now = Metrics.scrape(port);
            System.out.printf(
                    "slow readers, %s: %d paused readers of a %,d-token answer retain %d bytes of read-ahead"
                            + " (%d per stream; bound %d); heap in use %d MiB%n",
                    strategy, READERS, length(strategy), peak, peak / READERS, BOUND, (long) now.heapUsed() >> 20);
            if (strategy.equals("block")) {
                assertThat(peak).as("block reads nothing ahead").isZero();
            } else {
                assertThat(peak).isLessThanOrEqualTo(READERS * BOUND);
            }
        } finally {
            for (Socket s : readers) {
                s.close();
            }
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
            Metrics m = Metrics.scrape(port);
            return m.get("aistream_streams_active") == 0 && m.retained() == 0;
        });
        assertThat(gateway.alive()).isTrue();
    }

    /**
     * Whether every paused stream of {@code strategy} is behind its reader (or over). The counters of what
     * happens at the queue (an overflow's error, drop's count) move only when the reader takes the chunks,
     * so this looks at the streams started and still running and at the bytes queued.
     */
    private static boolean behind(String strategy, Metrics before) throws IOException {
        Metrics m = Metrics.scrape(gateway.port());
        double queued = m.get("aistream_memory_retained_bytes{pool=\"read_ahead\"}");
        return switch (strategy) {
            // block reads nothing ahead: the upstream is paused with the reader once its socket is full
            case "block" ->
                m.get("aistream_chunks_total{provider=\"simulated\",type=\"content\"}")
                                - before.get("aistream_chunks_total{provider=\"simulated\",type=\"content\"}")
                        > READERS * 1000L;
            // a stream either still holds its whole queue or has ended: a buffer stream overflows at once, a
            // drop stream may drop so much that what it kept fits in the socket buffers, done included, and
            // so may a coalesce stream where the socket buffers are larger than here. A whole queue is at
            // least 256 chunks of at least 96 bytes (lorem's are under twice that), or for coalesce nine
            // tenths of the byte bound (its merged chunks are large)
            case "buffer", "drop", "coalesce" -> {
                double started = m.get(STARTED) - before.get(STARTED);
                double ended = started - m.get("aistream_streams_active");
                double full =
                        strategy.equals("coalesce") ? ChatStream.Builder.DEFAULT_BUFFER_BYTES * 9 / 10.0 : FULL_QUEUE;
                yield started == READERS && ended + Math.floor(queued / full) >= READERS;
            }
            default -> throw new IllegalArgumentException(strategy);
        };
    }

    /**
     * Tokens in the answer: more than the gateway's socket send buffer (up to 4 MB on Linux loopback) and
     * the queue hold, so that the gateway falls behind; coalesce writes its merged chunks compactly.
     */
    private static int length(String strategy) {
        return strategy.equals("coalesce") ? 1_000_000 : 200_000;
    }

    /** A reader with a tiny receive window that sends its request and then reads nothing. */
    private static Socket openPaused(int port, String strategy) throws IOException {
        String json = "{\"provider\":\"simulated\",\"model\":\"lorem\",\"backpressure\":\"" + strategy + "\","
                + "\"providerOptions\":{\"length\":" + length(strategy) + ",\"tokensPerSecond\":0},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"a long one\"}]}";
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        OutputStream out = s.getOutputStream();
        out.write((Raw.head("POST", "/v1/stream", Map.of("Content-Type", "application/json"), body.length) + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.write(body);
        out.flush();
        return s;
    }
}
