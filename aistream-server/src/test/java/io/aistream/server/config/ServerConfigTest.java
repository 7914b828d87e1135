package io.aistream.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The API-key length rule and the {@code allowedHosts} entries (issue 11, items 3 and 6). */
class ServerConfigTest {
    @Test
    void anApiKeyShorterThan16CharactersIsRefusedByPositionWithoutEchoingIt() {
        assertThatThrownBy(() -> ServerConfig.builder()
                        .apiKeys(List.of("0123456789abcdef", "x"))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("apiKeys[1] is too short: an API key needs at least 16 characters "
                        + "(e.g. 32 random hex digits)");
        assertThatThrownBy(() -> ServerConfig.builder()
                        .apiKeys(List.of("fifteen-chars-x"))
                        .build())
                .hasMessageStartingWith("apiKeys[0] is too short")
                .hasMessageNotContaining("fifteen-chars-x");
        assertThatThrownBy(() ->
                        ServerConfig.builder().apiKeys(List.of(" ".repeat(20))).build())
                .hasMessageStartingWith("apiKeys[0] is too short");
        assertThat(ServerConfig.builder()
                        .apiKeys(List.of("0123456789abcdef"))
                        .build()
                        .authenticationRequired())
                .isTrue();
    }

    @Test
    void allowedHostsAreNormalizedAndBadEntriesNamed() {
        assertThat(ServerConfig.builder()
                        .allowedHosts(
                                List.of(" API.Example.com ", "*.apps.example.com", "::1", "[2001:DB8::7]", "10.0.0.5"))
                        .build()
                        .allowedHosts())
                .containsExactly("api.example.com", "*.apps.example.com", "[::1]", "[2001:db8::7]", "10.0.0.5");
        for (var bad : List.of(
                List.of("https://api.example.com", "not a URL"),
                List.of("api.example.com:8443", "must not name a port"),
                List.of("*", "leave allowedHosts empty"),
                List.of("", "must not be blank"),
                List.of("a*.example.com", "must be a host name"),
                List.of("exa mple.com", "must be a host name"),
                List.of("[zz::1]", "not an IPv6 literal"))) {
            assertThatThrownBy(() -> ServerConfig.builder()
                            .allowedHosts(List.of(bad.get(0)))
                            .build())
                    .as(bad.get(0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("allowedHosts entry '" + bad.get(0).strip() + "'")
                    .hasMessageContaining(bad.get(1));
        }
    }
}
