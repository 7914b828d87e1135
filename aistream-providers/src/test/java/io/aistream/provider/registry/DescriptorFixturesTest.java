package io.aistream.provider.registry;

import static io.aistream.provider.testing.ProviderFixtures.HARNESS;
import static io.aistream.provider.testing.ProviderFixtures.decoder;
import static io.aistream.provider.testing.ProviderFixtures.decoders;
import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.spi.DecoderObserver;
import io.aistream.provider.spi.WireFormat;
import io.aistream.provider.testing.ProviderFixtures;
import io.aistream.testing.FixtureHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every provider fixture, found by folder and read through the decoder the registered descriptors
 * pick for that folder name and the transcript's framing — the way {@code aistream normalize} reads a
 * body. A new provider's fixtures are covered here without naming it.
 */
class DescriptorFixturesTest {

    static List<FixtureHarness.Fixture> fixtures() {
        List<FixtureHarness.Fixture> all = new ArrayList<>();
        for (String folder : ProviderFixtures.folders()) {
            all.addAll(HARNESS.fixtures(folder, name -> true));
        }
        return all;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void everyFixtureDecodesThroughItsDescriptor(FixtureHarness.Fixture fixture) {
        WireFormat format = ProviderFixtures.wireFormat(fixture.transcript());
        assertThat(ProtocolCatalog.decoder(fixture.folder(), format, new DecoderContext(fixture.folder(), "m")))
                .as(fixture + " has a descriptor reading " + format.label())
                .isPresent();
        HARNESS.assertFixture(
                fixture,
                decoders(() -> ProtocolCatalog.decoder(
                                fixture.folder(), format, new DecoderContext(fixture.folder(), "m"))
                        .orElseThrow()));
    }

    /** Every {@code <case>.unknown.txt}: the event types its transcript carries that no decoder knows. */
    static List<FixtureHarness.Fixture> unknownEventFixtures() {
        return fixtures().stream().filter(f -> Files.exists(unknownList(f))).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unknownEventFixtures")
    void anUnknownEventIsSkippedAndReportedNeverFatal(FixtureHarness.Fixture fixture) throws IOException {
        List<String> heard = new ArrayList<>();
        DecoderObserver observer = new DecoderObserver() {
            @Override
            public void unknownEvent(String provider, String eventType) {
                heard.add(provider + " " + eventType);
            }
        };
        WireFormat format = ProviderFixtures.wireFormat(fixture.transcript());
        byte[] body = fixture.body();
        FixtureHarness.decode(
                decoder(ProtocolCatalog.decoder(
                                fixture.folder(), format, new DecoderContext(fixture.folder(), "m", observer))
                        .orElseThrow()),
                body,
                new int[0]);

        List<String> expected = Files.readAllLines(unknownList(fixture)).stream()
                .filter(l -> !l.isBlank())
                .map(t -> fixture.folder() + " " + t)
                .toList();
        assertThat(heard).isEqualTo(expected);
        // and the stream's result is the one of the same transcript without them (expected.json)
        HARNESS.assertFixture(
                fixture,
                decoders(() -> ProtocolCatalog.decoder(
                                fixture.folder(), format, new DecoderContext(fixture.folder(), "m"))
                        .orElseThrow()));
    }

    @Test
    void everyDecoderHasAnUnknownEventFixture() {
        List<String> covered = unknownEventFixtures().stream()
                .map(FixtureHarness.Fixture::folder)
                .distinct()
                .toList();
        for (String id : ProtocolCatalog.ids()) {
            assertThat(covered)
                    .as("an unknown-event fixture read by " + id)
                    .anyMatch(folder ->
                            ProtocolCatalog.descriptor(id).orElseThrow().answersTo(folder));
        }
    }

    private static Path unknownList(FixtureHarness.Fixture fixture) {
        return fixture.transcript().resolveSibling(fixture.name() + ".unknown.txt");
    }
}
