package io.aistream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.ChunkJson;
import io.aistream.chunk.StreamChunk;
import io.aistream.json.Jackson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class NormalizeCommandTest {
    private static final JsonMapper JSON = Jackson.mapper();
    private static final Path FIXTURES =
            Path.of("..", "aistream-providers", "src", "test", "resources", "fixtures", "providers");

    /** Every transcript with the folder name as --provider, as the README of the fixtures lays them out. */
    static Stream<Arguments> fixtures() throws IOException {
        try (Stream<Path> files = Files.walk(FIXTURES)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".expected.json")).sorted().toList().stream()
                    .map(expected -> {
                        String base = expected.getFileName().toString().replace(".expected.json", "");
                        Path dir = expected.getParent();
                        Path transcript = Stream.of(".sse", ".ndjson", ".json", ".hex.txt")
                                .map(ext -> dir.resolve(base + ext))
                                .filter(Files::exists)
                                .findFirst()
                                .orElseThrow();
                        return Arguments.of(dir.getFileName().toString(), transcript, expected);
                    });
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("fixtures")
    void accumulateGivesTheFixtureExpectation(String folder, Path transcript, Path expected) throws IOException {
        boolean hex = transcript.toString().endsWith(".hex.txt");
        CliRun r = hex
                ? CliRun.run(Files.readAllBytes(transcript), "normalize", "--provider", folder, "--accumulate", "--hex")
                : CliRun.run(Files.readAllBytes(transcript), "normalize", "--provider", folder, "--accumulate");

        assertThat(r.exitCode()).as(r.err()).isZero();
        ObjectNode actual = (ObjectNode) JSON.readTree(r.out());
        JsonNode want = JSON.readTree(expected.toFile());
        // the fixtures' rules: a null tool-call id or error message in the expectation is not compared
        for (int i = 0;
                i < want.path("toolCalls").size()
                        && i < actual.path("toolCalls").size();
                i++) {
            if (want.path("toolCalls").get(i).path("id").isNull()) {
                ((ObjectNode) actual.path("toolCalls").get(i)).putNull("id");
            }
        }
        if (want.path("error").isObject()
                && want.path("error").path("message").isNull()
                && actual.path("error").isObject()) {
            ((ObjectNode) actual.get("error")).putNull("message");
        }
        assertThat(actual).isEqualTo(want);
    }

    @Test
    void withoutAccumulateWritesOneStampedChunkPerLine() throws IOException {
        byte[] body = Files.readAllBytes(FIXTURES.resolve("anthropic/text.sse"));
        CliRun r = CliRun.run(body, "normalize", "--provider", "anthropic");

        List<StreamChunk> chunks = r.out().lines().map(ChunkJson::parse).toList();
        assertThat(chunks).isNotEmpty();
        for (int i = 0; i < chunks.size(); i++) {
            assertThat(chunks.get(i).seq()).isEqualTo(i);
        }
        assertThat(chunks.get(chunks.size() - 1).type().wireName()).isEqualTo("done");
    }

    @Test
    void ollamaSseIsReadAsItsOpenAiCompatibleEndpoint() throws IOException {
        CliRun r = CliRun.run(
                Files.readAllBytes(FIXTURES.resolve("ollama/openai-compat-text.sse")),
                "normalize",
                "--provider",
                "ollama",
                "--accumulate");

        assertThat(r.exitCode()).isZero();
        assertThat(JSON.readTree(r.out()).path("finishReason").asString()).isEqualTo("stop");
    }

    @Test
    void mismatchedFormatAndUnknownProviderAreBadInput() {
        CliRun wrongFormat = CliRun.run("data: {}\n\n", "normalize", "--provider", "anthropic", "--format", "ndjson");
        assertThat(wrongFormat.exitCode()).isEqualTo(2);
        assertThat(wrongFormat.err()).contains("NDJSON").contains("anthropic");

        CliRun unknown = CliRun.run("data: {}\n\n", "normalize", "--provider", "acme");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("'acme'");

        CliRun badFormat = CliRun.run("", "normalize", "--provider", "openai", "--format", "xml");
        assertThat(badFormat.err()).contains("--format");
    }
}
