package io.aistream.provider.transport;

import io.aistream.chunk.StreamChunk;
import io.aistream.provider.testing.FakeUpstream;
import io.aistream.provider.testing.LineProtocol;
import io.aistream.stream.ChunkSource;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.random.RandomGenerator;

/** Fixtures for the {@link ProviderStreams} tests: targets on fake upstreams, fixed jitter, async draining. */
final class Upstreams {
    private Upstreams() {
    }

    static Target target(String name, FakeUpstream upstream) {
        return new Target(new LineProtocol(), LineProtocol.config(name, upstream.baseUri()), "model-" + name);
    }

    static Target prefillTarget(String name, FakeUpstream upstream) {
        return new Target(new LineProtocol(true), LineProtocol.config(name, upstream.baseUri()), "model-" + name);
    }

    /** A target nobody listens on. */
    static Target refusing(String name) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        return new Target(new LineProtocol(), LineProtocol.config(name, URI.create("http://127.0.0.1:" + port)), "model-" + name);
    }

    /** Jitter that always draws {@code fraction} of the ceiling. */
    static RandomGenerator fixedJitter(double fraction) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException("only nextDouble is used");
            }

            @Override
            public double nextDouble() {
                return fraction;
            }
        };
    }

    /** Drains {@code source} on a virtual thread. */
    static CompletableFuture<List<StreamChunk>> drainAsync(ChunkSource source) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return Streams.drain(source);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, r -> Thread.ofVirtual().name("test-consumer").start(r));
    }
}
