package io.aistream.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.json.Jackson;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class CompatResultsTest {
    @TempDir
    Path dir;

    private JsonNode read(String clientId) throws Exception {
        return Jackson.mapper().readTree(Files.readString(dir.resolve(clientId + ".json")));
    }

    @Test
    void writesARowPerScenarioPassedOrFailedAndRethrows() throws Exception {
        Files.writeString(dir.resolve("sdk.json"), "[{\"stale\": true}]");
        CompatResults r = new CompatResults(dir, "sdk", "some-sdk \"quoted\"", "Java", "1.2.3");

        assertThat(r.run("/v1/chat/completions", "text", () -> "echo in 7 deltas"))
                .isEqualTo("echo in 7 deltas");
        IllegalStateException boom = new IllegalStateException("404:\n  the model\tx does not exist");
        boom.addSuppressed(new CompatResults.Note("body: {}"));
        boom.addSuppressed(new RuntimeException("framework noise"));
        assertThatThrownBy(() -> r.run("/v1/messages", "abort", () -> {
                    throw boom;
                }))
                .isSameAs(boom);
        AssertionError failed = new AssertionError("\nExpecting actual:\n  1\nto be greater than:\n  2\n");
        assertThatThrownBy(() -> r.run("/v1/messages", "tools", () -> {
                    throw failed;
                }))
                .isSameAs(failed);

        JsonNode rows = read("sdk");
        assertThat(rows.size()).as("the previous run's file is replaced").isEqualTo(3);
        JsonNode pass = rows.get(0);
        assertThat(pass.get("client").asString()).isEqualTo("some-sdk \"quoted\"");
        assertThat(pass.get("language").asString()).isEqualTo("Java");
        assertThat(pass.get("version").asString()).isEqualTo("1.2.3");
        assertThat(pass.get("endpoint").asString()).isEqualTo("/v1/chat/completions");
        assertThat(pass.get("scenario").asString()).isEqualTo("text");
        assertThat(pass.get("result").asString()).isEqualTo("pass");
        assertThat(pass.get("detail").asString()).isEqualTo("echo in 7 deltas");
        assertThat(rows.get(1).get("result").asString()).isEqualTo("fail");
        assertThat(rows.get(1).get("detail").asString())
                .isEqualTo("IllegalStateException: 404: the model x does not exist (body: {})");
        assertThat(rows.get(2).get("detail").asString())
                .isEqualTo("AssertionError: Expecting actual: 1 to be greater than: 2");
    }

    @Test
    void aSecondRecorderForTheSameClientAddsToTheFile() throws Exception {
        new CompatResults(dir, "two", "c", "Java", "1").record("/v1/models", "list", CompatResults.PASS, "ok");
        new CompatResults(dir, "two", "c", "Java", "1").record("/v1/models", "retrieve", CompatResults.PASS, "ok");
        assertThat(read("two").size()).isEqualTo(2);
    }

    @Test
    void detailsAreOneBoundedLineAndResultsPassOrFail() {
        CompatResults r = new CompatResults(dir, "bounds", "c", "Java", "1");
        assertThatThrownBy(() -> r.record("/v1/x", "text", "ok", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CompatResults(dir, "../escape", "c", "Java", "1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(CompatResults.oneLine("x".repeat(1000))).hasSize(CompatResults.MAX_DETAIL);
        assertThat(CompatResults.quote("a\u0001b\\")).isEqualTo("\"a\\u0001b\\\\\"");
    }

    @Test
    void readsTheVersionOfTheJarAClassComesFrom() {
        // AssertJ's jar carries Maven's pom.properties
        String v = CompatResults.versionOf(Assertions.class, "org.assertj", "assertj-core");
        assertThat(v).matches("\\d+\\.\\d+\\.\\d+.*");
        // a class from a folder, not a jar, and no pom.properties: nothing to read
        assertThatThrownBy(() -> CompatResults.versionOf(CompatResultsTest.class, "no.such", "artifact"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no.such:artifact");
    }
}
