package io.aistream.bench;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.chunk.ToolCallDelta;
import io.aistream.sse.ChunkSseWriter;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Chunk JSON encode + SSE frame, per chunk: what the gateway does for every delta it relays.
 * The target is an OutputStream that only counts bytes, so socket cost is excluded.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ChunkSseEncodeBenchmark {

    private CountingOutputStream out;
    private ChunkSseWriter writer;
    private long seq;
    private final String[] words = {"Hel", "lo", ", wörld", " 👋", " the", " answer", " is", " \"42\"\n"};

    @Setup
    public void setUp() {
        out = new CountingOutputStream();
        writer = new ChunkSseWriter(out);
    }

    /** A typical small content delta. */
    @Benchmark
    public long contentChunk() {
        long s = seq++;
        writer.writeChunk(new ContentChunk("st_7Hq2kX9", s, words[(int) (s & 7)]));
        return out.count;
    }

    /** A tool-call argument fragment (nested object, escaped quotes). */
    @Benchmark
    public long toolCallChunk() {
        long s = seq++;
        writer.writeChunk(new ToolCallChunk("st_7Hq2kX9", s, ToolCallDelta.arguments(0, "{\"city\":\"Par")));
        return out.count;
    }

    /** Content chunk plus a flush per event, as the server does. */
    @Benchmark
    public void contentChunkFlushed(Blackhole blackhole) {
        long s = seq++;
        writer.writeChunk(new ContentChunk("st_7Hq2kX9", s, words[(int) (s & 7)]));
        writer.flush();
        blackhole.consume(out.count);
    }

    /** Counts bytes; drops them. */
    static final class CountingOutputStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
