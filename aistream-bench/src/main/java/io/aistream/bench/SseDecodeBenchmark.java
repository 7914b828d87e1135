package io.aistream.bench;

import io.aistream.sse.SseDecoder;
import io.aistream.sse.SseEvent;
import io.aistream.sse.SseListener;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * SSE decode throughput on realistic LLM traffic: 1 MiB of OpenAI-style {@code data:} events
 * (~260 bytes each), fed in network-sized reads. One op decodes the whole MiB, so MB/s = ops/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SseDecodeBenchmark {
    static final int INPUT_BYTES = 1 << 20;

    @Param({"8192", "1460"})
    int readSize;

    private byte[] input;

    @Setup
    public void setUp() {
        input = LlmTraffic.openAiChatSse(INPUT_BYTES, 42);
    }

    /** Decodes ~1 MiB; returns the number of events so nothing is optimized away. */
    @Benchmark
    public int decodeOneMiB(Blackhole blackhole) {
        EventSink sink = new EventSink(blackhole);
        SseDecoder decoder = new SseDecoder(sink);
        for (int off = 0; off < input.length; off += readSize) {
            decoder.feed(input, off, Math.min(readSize, input.length - off));
        }
        decoder.end();
        return sink.count;
    }

    private static final class EventSink implements SseListener {
        private final Blackhole blackhole;
        int count;

        EventSink(Blackhole blackhole) {
            this.blackhole = blackhole;
        }

        @Override
        public void onEvent(SseEvent event) {
            count++;
            blackhole.consume(event);
        }
    }
}
