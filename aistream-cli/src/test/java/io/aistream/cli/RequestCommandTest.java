package io.aistream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code aistream request}: the upstream request each provider would be sent for the same
 * conversation (a tool call and its result), compared with golden printouts under
 * {@code src/test/resources/request/}. No credentials are set: every provider runs on placeholders,
 * which are redacted. Each run's printout is also written to {@code target/request-actual/} for diffing.
 */
class RequestCommandTest {
    private static final Path DIR = Path.of("src", "test", "resources", "request");
    private static final Path ACTUAL = Path.of("target", "request-actual");
    /** SigV4 signs with the time: its date and time are the only parts of a printout that move. */
    private static final Pattern AMZ_TIME = Pattern.compile("\\d{8}T\\d{6}Z");

    private static final Pattern AMZ_DAY = Pattern.compile("/\\d{8}/");

    @BeforeEach
    void noCredentials() {
        RequestCommand.environment = Map.of();
    }

    @AfterEach
    void realEnvironment() {
        RequestCommand.environment = System.getenv();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "anthropic,        claude-sonnet-4-5,                          weather.json,     ''",
        "openai,           gpt-4o-mini,                                weather.json,     ''",
        "openai-chat-body, gpt-4o-mini,                                openai-chat.json, --openai",
        "openai-responses, gpt-5-mini,                                 weather.json,     ''",
        "gemini,           gemini-2.5-flash,                           weather.json,     ''",
        "bedrock,          anthropic.claude-3-5-haiku-20241022-v1:0,   weather.json,     ''",
        "ollama,           llama3.2,                                   weather.json,     ''",
        "cohere,           command-a-03-2025,                          weather.json,     ''",
        "anthropic-thinking, claude-sonnet-4-5,                        weather-thinking.json, ''",
        "bedrock-thinking, anthropic.claude-sonnet-4-5-20250929-v1:0,  weather-thinking-budget.json, ''",
        "vertex-anthropic, claude-sonnet-4-5@20250929,                 weather-thinking.json, ''",
        "vertex,           gemini-2.5-flash,                           weather.json,     ''",
    })
    void printsTheExactUpstreamRequestWithCredentialsRedacted(String name, String model, String file, String flag)
            throws IOException {
        String provider = name.equals("openai-chat-body") ? "openai" : name.replace("-thinking", "");
        byte[] stdin = Files.readAllBytes(DIR.resolve(file));
        CliRun r = flag.isEmpty()
                ? CliRun.run(stdin, "request", "--provider", provider, "--model", model)
                : CliRun.run(stdin, "request", "--provider", provider, "--model", model, flag);

        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isZero();
        String actual = AMZ_DAY.matcher(AMZ_TIME.matcher(r.out()).replaceAll("20260101T000000Z"))
                .replaceAll("/20260101/");
        Files.createDirectories(ACTUAL);
        Files.writeString(ACTUAL.resolve(name + ".txt"), actual, StandardCharsets.UTF_8);
        assertThat(actual).isEqualTo(Files.readString(DIR.resolve(name + ".txt"), StandardCharsets.UTF_8));
        assertThat(actual).doesNotContain(RequestCommand.PLACEHOLDER);
    }

    /**
     * The second turn of an Anthropic conversation with extended thinking and a tool call, written as
     * an OpenAI Chat request the way OpenAI-compatible gateways carry Claude's thinking
     * ({@code thinking_blocks}), is the very upstream request the native form gives.
     */
    @Test
    void theOpenAiFormOfASignedThinkingTurnSendsTheSameRequest() throws IOException {
        CliRun openAi = CliRun.run(
                Files.readAllBytes(DIR.resolve("openai-chat-thinking.json")),
                "request",
                "--provider",
                "anthropic",
                "--model",
                "claude-sonnet-4-5",
                "--openai");
        assertThat(openAi.err()).isEmpty();
        assertThat(openAi.out())
                .contains("{\"type\":\"thinking\",\"thinking\":\"The user wants")
                .isEqualTo(Files.readString(DIR.resolve("anthropic-thinking.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void aConfiguredKeyIsNeverPrinted() {
        RequestCommand.environment = Map.of("ANTHROPIC_API_KEY", "sk-ant-very-secret-0123456789");
        CliRun r = CliRun.run(
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "request",
                "--provider",
                "anthropic",
                "--model",
                "claude-sonnet-4-5");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).doesNotContain("very-secret").contains("x-api-key: <redacted>");
    }

    @Test
    void prettyIndentsTheBody() {
        CliRun r = CliRun.run(
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "request",
                "--provider",
                "openai",
                "--model",
                "gpt-4o-mini",
                "--pretty");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out())
                .startsWith("POST https://api.openai.com/v1/chat/completions\n")
                .contains("{\n  \"model\"");
    }

    @Test
    void aProviderFromTheConfigFileIsUsedWithItsBaseUrl(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path config = dir.resolve("aistream.json");
        Files.writeString(config, """
                {"port": 8080, "providers": {"local": {"protocol": "openai-chat", "preset": "vllm",
                 "baseUrl": "http://127.0.0.1:8000/v1"}}}""");
        CliRun r = CliRun.run(
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "request",
                "--provider",
                "local",
                "--model",
                "qwen",
                "--config",
                config.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("POST http://127.0.0.1:8000/v1/chat/completions\n");
    }

    @Test
    void anUnknownProviderListsTheKnownOnes() {
        CliRun r = CliRun.run(
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "request",
                "--provider",
                "nope",
                "--model",
                "m");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err())
                .startsWith("aistream request: unknown provider 'nope' (known: ")
                .contains("anthropic");
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aBadRequestNamesTheField() {
        CliRun r = CliRun.run(
                "{\"messages\":[{\"role\":\"user\",\"content\":7}]}",
                "request",
                "--provider",
                "anthropic",
                "--model",
                "claude-sonnet-4-5");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("aistream request: the request is not valid: messages[0].content");
    }

    @Test
    void aBadOpenAiRequestGetsTheEndpointsError() {
        CliRun r = CliRun.run(
                "{\"model\":\"gpt-4o-mini\",\"messages\":[],\"temprature\":1}",
                "request",
                "--provider",
                "openai",
                "--openai");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err())
                .startsWith("aistream request: the request is not valid: ")
                .contains("temprature");
    }

    @Test
    void theSimulatedProviderSendsNothing() {
        CliRun r = CliRun.run(
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "request",
                "--provider",
                "simulated",
                "--model",
                "echo");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("sends no HTTP request");
    }
}
