package io.aistream.bench;

import io.aistream.chunk.StreamChunk;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.registry.ProtocolCatalog;
import io.aistream.provider.spi.ProviderProtocol;
import io.aistream.provider.spi.StreamDecoder;
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
 * format, fed in 8 KiB reads through the real decoder. Scores are per text delta (chunks/s).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ProviderDecodeBenchmark {
    static final int DELTAS = 1000;
    private static final int READ = 8192;

    @Param({"openai-chat", "openai-responses", "anthropic", "gemini", "ollama", "cohere", "bedrock"})
    String provider;

    private byte[] body;
    private ProviderProtocol protocol;
    private DecoderContext context;

    @Setup
    public void setUp() {
        body = ProviderTraffic.body(provider, DELTAS);
        protocol = ProtocolCatalog.byId(provider).orElseThrow();
        context = new DecoderContext(provider, "bench");
        long chunks = decode(c -> { });
        if (chunks != DELTAS + 1) {
            throw new IllegalStateException(provider + " decoded " + chunks + " chunks, expected " + (DELTAS + 1));
        }
    }

    @Benchmark
    @OperationsPerInvocation(DELTAS)
    public long decodeBody(Blackhole blackhole) {
        return decode(blackhole::consume);
    }

    private long decode(Consumer<StreamChunk> sink) {
        long[] count = {0};
        Consumer<StreamChunk> counting = c -> {
            count[0]++;
            sink.accept(c);
        };
        StreamDecoder decoder = protocol.newDecoder(context);
        for (int off = 0; off < body.length; off += READ) {
            decoder.feed(body, off, Math.min(READ, body.length - off), counting);
        }
        decoder.end(counting);
        return count[0];
    }
}
