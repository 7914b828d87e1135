package io.aistream.provider.testing;

import io.aistream.provider.ResponseSummary;
import io.aistream.provider.spi.StreamDecoder;
import io.aistream.provider.spi.WireFormat;
import io.aistream.testing.FixtureHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The providers' fixtures ({@code src/test/resources/fixtures/providers}) on the shared
 * {@link FixtureHarness}: folded with {@link ResponseSummary#of}, decoded by a provider's
 * {@link StreamDecoder}. Stateless and thread-safe.
 */
public final class ProviderFixtures {
    /** The harness over the providers' fixtures, folding with {@link ResponseSummary#of}. */
    public static final FixtureHarness HARNESS = FixtureHarness.of(
            FixtureHarness.classpathRoot(ProviderFixtures.class, "fixtures/providers"), ResponseSummary::of);

    private ProviderFixtures() {}

    /** A new harness decoder per call, each wrapping a new decoder from {@code decoders}. */
    public static Supplier<FixtureHarness.Decoder> decoders(Supplier<? extends StreamDecoder> decoders) {
        return () -> decoder(decoders.get());
    }

    /** {@code decoder} as the harness drives it. */
    public static FixtureHarness.Decoder decoder(StreamDecoder decoder) {
        return FixtureHarness.Decoder.of(decoder::feed, decoder::end);
    }

    /** The provider folders, sorted. */
    public static List<String> folders() {
        try (Stream<Path> dirs = Files.list(HARNESS.root())) {
            return dirs.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The framing a transcript's extension tells (see the fixtures' README). */
    public static WireFormat wireFormat(Path transcript) {
        String name = transcript.getFileName().toString();
        if (name.endsWith(".ndjson")) {
            return WireFormat.NDJSON;
        }
        if (name.endsWith(".hex.txt")) {
            return WireFormat.EVENT_STREAM;
        }
        return name.endsWith(".json") ? WireFormat.JSON_ARRAY : WireFormat.SSE;
    }
}
