package io.aistream.provider.bedrock;

import static io.aistream.provider.TestRequests.goldenFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.AIStreamException;
import io.aistream.json.Jackson;
import io.aistream.provider.TestRequests;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.UnsupportedOptionException;
import io.aistream.provider.spi.UpstreamRequest;
import io.aistream.request.ChatRequest;
import io.aistream.request.ContentPart;
import io.aistream.request.Message;
import io.aistream.request.Reasoning;
import io.aistream.request.ToolChoice;
import io.aistream.request.ToolDefinition;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class BedrockRequestTest {
    private static final JsonMapper JSON = Jackson.mapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC);
    private static final BedrockProtocol PROTOCOL = new BedrockProtocol(CLOCK);
    private static final ProviderConfig CONFIG = new ProviderConfig(
            "bedrock",
            "bedrock",
            URI.create("https://bedrock-runtime.us-east-1.amazonaws.com"),
            Optional.empty(),
            Map.of(
                    "region",
                    "us-east-1",
                    "accessKeyId",
                    "AKIDEXAMPLE",
                    "secretAccessKey",
                    "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"));

    static ChatRequest.Builder minimal() {
        return ChatRequest.builder()
                .model("anthropic.claude-sonnet-4-20250514-v1:0")
                .user("Hi");
    }

    /** The shared golden request (Bedrock needs image bytes, so a data: URL) plus a failed tool result and a follow-up. */
    static ChatRequest fullRequest() {
        return TestRequests.golden("anthropic.claude-sonnet-4-20250514-v1:0", TestRequests.IMAGE_DATA_URL)
                .message(new Message.Tool("call_1", "get_time", "timezone service down", true))
                .user("And what time is it there?")
                .toolChoice(ToolChoice.tool("get_weather"))
                .temperature(0.5)
                .topP(0.9)
                .maxOutputTokens(4096)
                .stopSequence("END")
                .reasoning(Reasoning.budget(2048))
                .providerOption("performanceConfig", JSON.readTree("{\"latency\":\"optimized\"}"))
                .build();
    }

    @Test
    void fullRequestMapsOntoTheConverseBodyOfTheGoldenFile() {
        UpstreamRequest request = PROTOCOL.toRequest(fullRequest(), CONFIG);

        assertThat(JSON.readTree(request.body())).isEqualTo(goldenFile("bedrock/converse-stream-request.json"));
        assertThat(request.uri())
                .isEqualTo(
                        URI.create(
                                "https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-sonnet-4-20250514-v1%3A0/converse-stream"));
    }

    @Test
    void urlImagesAreRejectedBecauseBedrockNeedsBytes() {
        ChatRequest request = minimal()
                .message(new Message.User(List.of(ContentPart.Image.url("https://example.com/cat.png"))))
                .build();

        assertThatThrownBy(() -> PROTOCOL.toRequest(request, CONFIG))
                .isInstanceOfSatisfying(
                        UnsupportedOptionException.class,
                        e -> assertThat(e.option()).isEqualTo("image.url"))
                .hasMessageContaining("bedrock");
    }

    @Test
    void s3ImagesAreSentAsS3Locations() {
        ChatRequest request = minimal()
                .message(new Message.User(List.of(ContentPart.Image.url("s3://bucket/photos/cat.jpeg"))))
                .build();

        JsonNode image =
                JSON.readTree(PROTOCOL.toRequest(request, CONFIG).body()).at("/messages/0/content/1/image");

        assertThat(image)
                .isEqualTo(JSON.readTree(
                        "{\"format\":\"jpeg\",\"source\":{\"s3Location\":{\"uri\":\"s3://bucket/photos/cat.jpeg\"}}}"));
    }

    @Test
    void unsupportedImageTypesAreRejected() {
        ChatRequest request = minimal()
                .message(new Message.User(List.of(ContentPart.Image.base64("image/bmp", "Qk0="))))
                .build();

        assertThatThrownBy(() -> PROTOCOL.toRequest(request, CONFIG))
                .isInstanceOfSatisfying(
                        UnsupportedOptionException.class,
                        e -> assertThat(e.option()).isEqualTo("image.mediaType"));
    }

    @Test
    void reasoningEffortIsRejectedForItHasNoModelNeutralField() {
        ChatRequest request =
                minimal().reasoning(Reasoning.effort(Reasoning.Effort.HIGH)).build();

        assertThatThrownBy(() -> PROTOCOL.toRequest(request, CONFIG))
                .isInstanceOfSatisfying(
                        UnsupportedOptionException.class,
                        e -> assertThat(e.option()).isEqualTo("reasoning.effort"));
    }

    @Test
    void toolChoiceNoneWithToolsIsRejected() {
        ChatRequest request = minimal()
                .tool(new ToolDefinition("t", Optional.empty(), JSON.readTree("{\"type\":\"object\"}")))
                .toolChoice(ToolChoice.NONE)
                .build();

        assertThatThrownBy(() -> PROTOCOL.toRequest(request, CONFIG))
                .isInstanceOfSatisfying(
                        UnsupportedOptionException.class,
                        e -> assertThat(e.option()).isEqualTo("toolChoice"));
    }

    @Test
    void requiredToolChoiceIsAnyAndAbsentChoiceIsLeftToTheModel() {
        ChatRequest.Builder builder =
                minimal().tool(new ToolDefinition("t", Optional.empty(), JSON.readTree("{\"type\":\"object\"}")));

        JsonNode required = JSON.readTree(
                PROTOCOL.toRequest(builder.toolChoice(ToolChoice.REQUIRED).build(), CONFIG)
                        .body());
        JsonNode absent = JSON.readTree(
                PROTOCOL.toRequest(builder.toolChoice(null).build(), CONFIG).body());

        assertThat(required.at("/toolConfig/toolChoice")).isEqualTo(JSON.readTree("{\"any\":{}}"));
        assertThat(absent.at("/toolConfig").has("toolChoice")).isFalse();
    }

    @Test
    void providerOptionsAreTopLevelAndObjectsMergeWithMappedOnes() {
        ChatRequest request = minimal()
                .reasoning(Reasoning.budget(1024))
                .providerOption("additionalModelRequestFields", JSON.readTree("{\"top_k\":40}"))
                .providerOption(
                        "guardrailConfig", JSON.readTree("{\"guardrailIdentifier\":\"g1\",\"guardrailVersion\":\"1\"}"))
                .build();

        JsonNode body = JSON.readTree(PROTOCOL.toRequest(request, CONFIG).body());

        assertThat(body.get("additionalModelRequestFields"))
                .isEqualTo(JSON.readTree("{\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},\"top_k\":40}"));
        assertThat(body.at("/guardrailConfig/guardrailIdentifier").stringValue())
                .isEqualTo("g1");
    }

    @Test
    void emptyBaseUrlMeansTheRegionalEndpointAndModelArnsAreOnePathSegment() {
        ProviderConfig config = new ProviderConfig(
                "bedrock", "bedrock", URI.create(""), Optional.of("bedrock-api-key"), Map.of("region", "eu-central-1"));
        ChatRequest request = ChatRequest.builder()
                .model(
                        "arn:aws:bedrock:eu-central-1:123456789012:inference-profile/eu.anthropic.claude-3-haiku-20240307-v1:0")
                .user("Hi")
                .build();

        UpstreamRequest upstream = PROTOCOL.toRequest(request, config);

        assertThat(upstream.uri().toString())
                .isEqualTo("https://bedrock-runtime.eu-central-1.amazonaws.com/model/"
                        + "arn%3Aaws%3Abedrock%3Aeu-central-1%3A123456789012%3Ainference-profile%2Feu.anthropic.claude-3-haiku-20240307-v1%3A0"
                        + "/converse-stream");
        assertThat(upstream.headers().get("Authorization")).containsExactly("Bearer bedrock-api-key");
    }

    @Test
    void customBaseUrlKeepsItsPath() {
        ProviderConfig config = new ProviderConfig(
                "proxy", "bedrock", URI.create("http://localhost:8089/aws/"), Optional.of("k"), Map.of());

        assertThat(PROTOCOL.toRequest(minimal().build(), config).uri().toString())
                .isEqualTo("http://localhost:8089/aws/model/anthropic.claude-sonnet-4-20250514-v1%3A0/converse-stream");
    }

    @Test
    void missingCredentialsOrRegionAreReportedWithoutSecrets() {
        ProviderConfig noCredentials =
                new ProviderConfig("b", "bedrock", URI.create(""), Optional.empty(), Map.of("region", "us-east-1"));
        ProviderConfig noRegion = new ProviderConfig(
                "b",
                "bedrock",
                URI.create("https://bedrock.example.com"),
                Optional.empty(),
                Map.of("accessKeyId", "AKID", "secretAccessKey", "s3cr3t"));

        assertThatThrownBy(() -> PROTOCOL.toRequest(minimal().build(), noCredentials))
                .isInstanceOfSatisfying(
                        AIStreamException.class, e -> assertThat(e.code()).isEqualTo("authentication"))
                .hasMessageContaining("accessKeyId");
        assertThatThrownBy(() -> PROTOCOL.toRequest(minimal().build(), noRegion))
                .isInstanceOf(AIStreamException.class)
                .hasMessageContaining("region")
                .hasMessageNotContaining("s3cr3t");
    }

    @Test
    void regionIsTakenFromARegionalBaseUrlWhenNotSet() {
        ProviderConfig config = new ProviderConfig(
                "b",
                "bedrock",
                URI.create("https://bedrock-runtime.ap-south-1.amazonaws.com"),
                Optional.empty(),
                Map.of("accessKeyId", "AKID", "secretAccessKey", "secret"));

        String authorization = PROTOCOL.toRequest(minimal().build(), config)
                .headers()
                .get("Authorization")
                .get(0);

        assertThat(authorization).contains("/ap-south-1/bedrock/aws4_request");
    }

    @Test
    void dropsOpenAisNoOpParameters() {
        ChatRequest request = minimal().build();
        JsonNode plain = JSON.readTree(PROTOCOL.toRequest(request, CONFIG).body());
        JsonNode withNoOps = JSON.readTree(PROTOCOL.toRequest(
                        io.aistream.provider.TestRequests.withNoOpOpenAiParameters(minimal())
                                .build(),
                        CONFIG)
                .body());

        assertThat(withNoOps).isEqualTo(plain);
    }
}
