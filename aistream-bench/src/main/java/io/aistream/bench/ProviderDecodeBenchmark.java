package io.aistream.bench;

import io.aistream.chunk.StreamChunk;
import io.aistream.provider.registry.ProtocolCatalog;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.spi.ProviderProtocol;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Bytes → chunks per provider: a body of {@value #DELTAS} text deltas in the provider's own wire
 * format ({@link ProviderTraffic}), fed in 8 KiB reads through the real decoder
 * ({@code ProtocolCatalog.byId(p).newDecoder(...)}). Scores are per text delta (chunks/s).
 *
 * <p>The providers are the registered descriptors, none named here. JMH parameters are compile-time
 * constants, so the default {@value #ALL} decodes the providers' bodies in turn (one score for the
 * mix, still per text delta); {@code -p provider=openai-chat,anthropic,...} (any of
 * {@code ProtocolCatalog.ids()}) gives one score per provider.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ProviderDecodeBenchmark {
    static final int DELTAS = 1000;
    static final String ALL = "all";
    private static final int READ = 8192;

    @Param({ALL})
    String provider;

    private List<Body> bodies;
    private int next;

    /** One provider's body and what decodes it. */
    private record Body(String provider, byte[] bytes, ProviderProtocol protocol, DecoderContext context) {}

    @Setup
    public void setUp() {
        List<String> ids = provider.equals(ALL) ? ProviderTraffic.protocols() : List.of(provider);
        bodies = ids.stream()
                .map(id -> new Body(
                        id,
                        ProviderTraffic.body(id, DELTAS),
                        ProtocolCatalog.byId(id).orElseThrow(),
                        new DecoderContext(id, "bench")))
                .toList();
        for (Body b : bodies) {
            long chunks = decode(b, c -> {});
            if (chunks != DELTAS + 1) {
                throw new IllegalStateException(
                        b.provider() + " decoded " + chunks + " chunks, expected " + (DELTAS + 1));
            }
        }
    }

    /** Each invocation decodes one body; with {@value #ALL}, the providers' bodies take turns. */
    @Benchmark
    @OperationsPerInvocation(DELTAS)
    public long decodeBody(Blackhole blackhole) {
        Body b = bodies.get(next);
        next = next + 1 == bodies.size() ? 0 : next + 1;
        return decode(b, blackhole::consume);
    }

    private static long decode(Body b, Consumer<StreamChunk> sink) {
        long[] count = {0};
        Consumer<StreamChunk> counting = c -> {
            count[0]++;
            sink.accept(c);
        };
        var decoder = b.protocol().newDecoder(b.context());
        for (int off = 0; off < b.bytes().length; off += READ) {
            decoder.feed(b.bytes(), off, Math.min(READ, b.bytes().length - off), counting);
        }
        decoder.end(counting);
        return count[0];
    }
}
