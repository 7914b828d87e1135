package io.aistream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.server.config.ConnectionConfig;
import io.aistream.server.config.ResponseStoreConfig;
import io.aistream.server.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeSettingsTest {
    @TempDir
    Path dir;

    private ServerConfig load(String json) throws Exception {
        Path file = dir.resolve("gateway.json");
        Files.writeString(file, json);
        return ServeSettings.load(Optional.of(file), Optional.empty(), Optional.empty(), Map.of())
                .config()
                .build();
    }

    private void assertRejected(String limits, String message) {
        assertThatThrownBy(() -> load("{\"limits\": " + limits + "}"))
                .isInstanceOf(ServeSettings.BadSettings.class)
                .hasMessage(message);
    }

    @Test
    void connectionLimitsDefaultToTheSafeValues() throws Exception {
        ServerConfig config = load("{}");
        assertThat(config.maxConnections()).isZero(); // automatic: from the open-files limit at start
        assertThat(config.connections()).isEqualTo(ConnectionConfig.defaults());
        assertThat(config.connections().requestHeaderTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.connections().minRequestBodyRate()).isEqualTo(1024);
        assertThat(config.connections().requestBodyGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.connections().maxConnectionsPerAddress()).isEqualTo(256);
    }

    @Test
    void connectionLimitsAreRead() throws Exception {
        ServerConfig config = load(
                "{\"limits\": {\"maxConnections\": 5000, \"maxConnectionsPerAddress\": 0,"
                        + " \"requestHeaderTimeoutSeconds\": 5, \"minRequestBodyRate\": 200, \"requestBodyGraceSeconds\": 30}}");
        assertThat(config.maxConnections()).isEqualTo(5000);
        assertThat(config.connections())
                .isEqualTo(new ConnectionConfig(Duration.ofSeconds(5), 200, Duration.ofSeconds(30), 0));

        ServerConfig off = load("{\"limits\": {\"maxConnections\": 0, \"requestHeaderTimeoutSeconds\": 0,"
                + " \"minRequestBodyRate\": 0}}");
        assertThat(off.maxConnections()).isZero();
        assertThat(off.connections().requestHeaderTimeout()).isZero();
        assertThat(off.connections().minRequestBodyRate()).isZero();
        assertThat(off.connections().maxConnectionsPerAddress()).isEqualTo(256); // untouched keys keep defaults
    }

    @Test
    void invalidConnectionLimitsNameTheKey() {
        assertRejected(
                "{\"requestHeaderTimeoutSeconds\": -1}",
                "gateway.json: 'requestHeaderTimeoutSeconds': must be a whole number from 0 to 3600");
        assertRejected(
                "{\"requestHeaderTimeoutSeconds\": 1.5}",
                "gateway.json: 'requestHeaderTimeoutSeconds': must be a whole number from 0 to 3600");
        assertRejected(
                "{\"minRequestBodyRate\": \"fast\"}",
                "gateway.json: 'minRequestBodyRate': must be a whole number from 0 to 2147483647");
        assertRejected(
                "{\"requestBodyGraceSeconds\": 4000}",
                "gateway.json: 'requestBodyGraceSeconds': must be a whole number from 0 to 3600");
        assertRejected(
                "{\"maxConnectionsPerAddress\": -5}",
                "gateway.json: 'maxConnectionsPerAddress': must be a whole number from 0 to 2147483647");
        assertRejected(
                "{\"maxConnections\": -1}",
                "gateway.json: 'maxConnections': must be a whole number from 0 to 2147483647");
        assertThatThrownBy(() -> load("{\"limits\": {\"maxConnectionPerAddress\": 3}}"))
                .isInstanceOf(ServeSettings.BadSettings.class)
                .hasMessageContaining("'limits.maxConnectionPerAddress': unknown key; expected one of")
                .hasMessageContaining("maxConnectionsPerAddress")
                .hasMessageContaining("requestHeaderTimeoutSeconds");
    }

    @Test
    void corsOriginsComeFromTheFlagsElseTheEnvironmentElseTheFile() throws Exception {
        Path file = dir.resolve("gateway.json");
        Files.writeString(file, "{\"corsOrigins\": [\"https://file.example\"]}");
        Map<String, String> env = Map.of("AISTREAM_CORS_ORIGINS", "https://env-a.example, https://env-b.example:8443");

        assertThat(ServeSettings.load(Optional.of(file), Optional.empty(), Optional.empty(), Map.of())
                        .config()
                        .build()
                        .corsOrigins())
                .containsExactly("https://file.example");
        assertThat(ServeSettings.load(Optional.of(file), Optional.empty(), Optional.empty(), env)
                        .config()
                        .build()
                        .corsOrigins())
                .containsExactly("https://env-a.example", "https://env-b.example:8443");
        assertThat(ServeSettings.load(
                                Optional.of(file),
                                Optional.empty(),
                                Optional.empty(),
                                java.util.List.of("https://flag-a.example", "http://localhost:5173"),
                                env)
                        .config()
                        .build()
                        .corsOrigins())
                .containsExactly("https://flag-a.example", "http://localhost:5173");
    }

    @Test
    void aCorsOriginThatIsNoOriginIsRefusedNamingWhereItCameFrom() {
        assertThatThrownBy(() -> ServeSettings.load(
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        java.util.List.of("https://app.example/path"),
                        Map.of()))
                .isInstanceOf(ServeSettings.BadSettings.class)
                .hasMessageContaining("--cors-origin: 'https://app.example/path' is not an origin");
        assertThatThrownBy(() -> ServeSettings.load(
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Map.of("AISTREAM_CORS_ORIGINS", "app.example")))
                .isInstanceOf(ServeSettings.BadSettings.class)
                .hasMessageContaining("AISTREAM_CORS_ORIGINS: 'app.example' is not an origin");
    }

    @Test
    void theResponsesStoreIsReadWithDefaultsForWhatIsLeftOut() throws Exception {
        assertThat(load("{}").storedResponses()).isEqualTo(ResponseStoreConfig.defaults());
        assertThat(load("{\"responses\": {\"storeMiB\": 64, \"perKeyMiB\": 4, \"ttlSeconds\": 600}}")
                        .storedResponses())
                .isEqualTo(new ResponseStoreConfig(64L << 20, 4L << 20, Duration.ofMinutes(10)));
        assertThat(load("{\"responses\": {\"ttlSeconds\": 60}}").storedResponses())
                .isEqualTo(new ResponseStoreConfig(16L << 20, 0, Duration.ofMinutes(1)));
        assertThatThrownBy(() -> load("{\"responses\": {\"storeMiB\": 1, \"perKeyMiB\": 2}}"))
                .isInstanceOf(ServeSettings.BadSettings.class)
                .hasMessageContaining("'responses.perKeyMiB': must not exceed responses.storeMiB");
        assertThatThrownBy(() -> load("{\"responses\": {\"maxBytes\": 1}}"))
                .isInstanceOf(ServeSettings.BadSettings.class)
                .hasMessageContaining(
                        "'responses.maxBytes': unknown key; expected one of perKeyMiB, storeMiB, ttlSeconds");
    }
}
