package io.aistream.provider.testing;

import io.aistream.chunk.Accumulator;
import io.aistream.chunk.CompletionResponse;
import io.aistream.chunk.StreamChunk;
import io.aistream.provider.spi.StreamDecoder;
import io.aistream.testing.FixtureHarness;
import java.util.List;

/**
 * A provider fixture decoded and accumulated into the answer a client would hold: the start of a
 * round-trip test (answer → {@code Message.Assistant.of} → the next request). Stateless.
 */
public final class FixtureAnswers {
    private FixtureAnswers() {}

    /** The chunks {@code decoder} makes of fixture {@code <folder>/<name>.*}, fed whole. */
    public static List<StreamChunk> chunks(String folder, String name, StreamDecoder decoder) {
        FixtureHarness.Fixture fixture = ProviderFixtures.HARNESS.fixtures(folder, file -> true).stream()
                .filter(f -> f.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no fixture " + folder + "/" + name));
        return FixtureHarness.decode(ProviderFixtures.decoder(decoder), fixture.body(), new int[0]);
    }

    /** The accumulated answer of fixture {@code <folder>/<name>.*} decoded by {@code decoder}. */
    public static CompletionResponse answer(String folder, String name, StreamDecoder decoder) {
        Accumulator accumulator = new Accumulator();
        chunks(folder, name, decoder).forEach(accumulator::add);
        return accumulator.result();
    }
}
