package io.aistream.provider.transport;

import io.aistream.provider.testing.LineProtocol;
import io.aistream.testing.FakeUpstream;
import java.util.random.RandomGenerator;

/** Fixtures for the {@link ProviderStreams} tests: targets on fake upstreams, fixed jitter. */
final class Upstreams {
    private Upstreams() {}

    static Target target(String name, FakeUpstream upstream) {
        return new Target(new LineProtocol(), LineProtocol.config(name, upstream.baseUri()), "model-" + name);
    }

    static Target prefillTarget(String name, FakeUpstream upstream) {
        return new Target(new LineProtocol(true), LineProtocol.config(name, upstream.baseUri()), "model-" + name);
    }

    /** A target nobody listens on. */
    static Target refusing(String name) {
        return new Target(new LineProtocol(), LineProtocol.config(name, FakeUpstream.refusingUri()), "model-" + name);
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
}
