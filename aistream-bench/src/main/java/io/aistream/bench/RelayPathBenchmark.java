package io.aistream.bench;

import io.aistream.chunk.StreamChunk;
import io.aistream.provider.registry.ProtocolCatalog;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.spi.ProviderProtocol;
import io.aistream.provider.spi.StreamDecoder;
import io.aistream.sse.ChunkSseWriter;
import io.aistream.stream.ChatStream;
import io.aistream.stream.ChunkSource;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The relay's per-chunk path without sockets: a provider's response body (default: OpenAI Chat, what
 * {@code bench/} relays) in 8 KiB reads → the real decoder → a stamped chunk → native SSE framing
 * ({@link ChunkSseWriter}) into a byte-counting stream. {@link #decodeAndFrame} is the bare path;
 * {@link #throughChatStream} adds the {@link ChatStream} (backpressure {@code block}: pulled on the
 * caller's thread, as the gateway's non-resumable streams are). Scores are per text delta (chunks/s);
 * issue 15's goal is at least 2 M chunks/s on one core. What this leaves out, and the load tests in
 * {@code bench/} include: the socket read and write, the thread hand-offs and the HTTP server.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RelayPathBenchmark {
    static final int DELTAS = 1000;
    private static final int READ = 8192;

    @Param({"openai-chat"})
    String provider;

    private byte[] body;
    private ProviderProtocol protocol;
    private DecoderContext context;
    private ChunkSseEncodeBenchmark.CountingOutputStream out;
    private ChunkSseWriter writer;

    @Setup
    public void setUp() {
        body = ProviderTraffic.body(provider, DELTAS);
        protocol = ProtocolCatalog.byId(provider).orElseThrow();
        context = new DecoderContext(provider, "bench");
        out = new ChunkSseEncodeBenchmark.CountingOutputStream();
        writer = new ChunkSseWriter(out);
        for (long chunks : new long[] {decodeAndFrame(), throughChatStream()}) {
            if (chunks != DELTAS + 1) {
                throw new IllegalStateException(provider + " relayed " + chunks + " chunks, expected " + (DELTAS + 1));
            }
        }
    }

    /** Decode and frame one body; returns the chunks written. */
    @Benchmark
    @OperationsPerInvocation(DELTAS)
    public long decodeAndFrame() {
        StreamDecoder decoder = protocol.newDecoder(context);
        long[] seq = {0};
        for (int off = 0; off < body.length; off += READ) {
            decoder.feed(
                    body,
                    off,
                    Math.min(READ, body.length - off),
                    c -> writer.writeChunk(c.withPosition("st_bench", seq[0]++)));
        }
        decoder.end(c -> writer.writeChunk(c.withPosition("st_bench", seq[0]++)));
        return seq[0];
    }

    /** The same body pulled through a {@link ChatStream}; returns the chunks written. */
    @Benchmark
    @OperationsPerInvocation(DELTAS)
    public long throughChatStream() {
        long written = 0;
        try (ChatStream stream = ChatStream.builder(new BodySource(protocol.newDecoder(context), body))
                .build()) {
            for (StreamChunk chunk : stream) {
                writer.writeChunk(chunk);
                written++;
            }
        }
        return written;
    }

    /** A provider body in memory, decoded read by read as {@code next()} asks (one consumer thread; cancel from any). */
    private static final class BodySource implements ChunkSource {
        private final StreamDecoder decoder;
        private final byte[] body;
        private final ArrayDeque<StreamChunk> pending = new ArrayDeque<>();
        private int offset;
        private boolean ended;
        private volatile boolean cancelled;

        BodySource(StreamDecoder decoder, byte[] body) {
            this.decoder = decoder;
            this.body = body;
        }

        @Override
        public Optional<StreamChunk> next() {
            while (pending.isEmpty()) {
                if (cancelled) {
                    return Optional.empty();
                }
                if (offset < body.length) {
                    int n = Math.min(READ, body.length - offset);
                    decoder.feed(body, offset, n, pending::add);
                    offset += n;
                } else if (!ended) {
                    ended = true;
                    decoder.end(pending::add);
                } else {
                    return Optional.empty();
                }
            }
            return Optional.of(pending.poll());
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }
}
