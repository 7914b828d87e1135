package io.aistream.provider.bedrock;

import io.aistream.provider.spi.Environment;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.ProviderPreset;
import io.aistream.provider.spi.SimpleDescriptor;
import io.aistream.provider.spi.WireFormat;
import io.aistream.provider.support.WireSamples;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * Registers Amazon Bedrock's ConverseStream API ({@value BedrockProtocol#ID}, AWS event-stream frames):
 * the provider {@code bedrock}, configured by {@code AWS_ACCESS_KEY_ID} + {@code AWS_SECRET_ACCESS_KEY}
 * (+ {@code AWS_SESSION_TOKEN}) or {@code AWS_BEARER_TOKEN_BEDROCK}, and {@code AWS_REGION} or
 * {@code AWS_DEFAULT_REGION}. Its base URL follows the region, so there is no default one.
 */
public final class BedrockDescriptor extends SimpleDescriptor {
    /** For {@link java.util.ServiceLoader}. */
    public BedrockDescriptor() {
        super(
                BedrockProtocol.ID,
                70,
                Set.of(WireFormat.EVENT_STREAM),
                List.of(ProviderPreset.of(BedrockProtocol.ID, 80, Optional.empty())
                        .readingEnvironment(
                                List.of(
                                        "AWS_ACCESS_KEY_ID",
                                        "AWS_SECRET_ACCESS_KEY",
                                        "AWS_SESSION_TOKEN",
                                        "AWS_BEARER_TOKEN_BEDROCK",
                                        "AWS_REGION",
                                        "AWS_DEFAULT_REGION"),
                                BedrockDescriptor::fromEnvironment)),
                config -> new BedrockProtocol());
    }

    private static Optional<ProviderConfig> fromEnvironment(Environment env) {
        Optional<String> region = env.get("AWS_REGION").or(() -> env.get("AWS_DEFAULT_REGION"));
        Optional<String> accessKey = env.get("AWS_ACCESS_KEY_ID");
        Optional<String> secret = env.get("AWS_SECRET_ACCESS_KEY");
        Optional<String> bearer = env.get("AWS_BEARER_TOKEN_BEDROCK");
        if (region.isEmpty() || ((accessKey.isEmpty() || secret.isEmpty()) && bearer.isEmpty())) {
            return Optional.empty();
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(BedrockProtocol.REGION, region.get());
        if (accessKey.isPresent() && secret.isPresent()) {
            settings.put(BedrockProtocol.ACCESS_KEY_ID, accessKey.get());
            settings.put(BedrockProtocol.SECRET_ACCESS_KEY, secret.get());
            env.get("AWS_SESSION_TOKEN").ifPresent(t -> settings.put(BedrockProtocol.SESSION_TOKEN, t));
            return Optional.of(new ProviderConfig(
                    BedrockProtocol.ID,
                    BedrockProtocol.ID,
                    BedrockProtocol.defaultBaseUrl(region.get()),
                    Optional.empty(),
                    settings));
        }
        return Optional.of(new ProviderConfig(
                BedrockProtocol.ID,
                BedrockProtocol.ID,
                BedrockProtocol.defaultBaseUrl(region.get()),
                bearer,
                settings));
    }

    @Override
    public Optional<byte[]> sampleBody(int textDeltas) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frame(out, "messageStart", "{\"p\":\"abcdefghij\",\"role\":\"assistant\"}");
        for (int i = 0; i < textDeltas; i++) {
            frame(
                    out,
                    "contentBlockDelta",
                    "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"" + WireSamples.word(i)
                            + "\"},\"p\":\"abcdefghijklmnopq\"}");
        }
        frame(out, "contentBlockStop", "{\"contentBlockIndex\":0,\"p\":\"abcdefghijklmnopqr\"}");
        frame(out, "messageStop", "{\"p\":\"abcdefghijklmn\",\"stopReason\":\"end_turn\"}");
        frame(
                out,
                "metadata",
                "{\"metrics\":{\"latencyMs\":431},\"p\":\"abcdefg\",\"usage\":{\"inputTokens\":21,"
                        + "\"outputTokens\":" + textDeltas + ",\"totalTokens\":" + (textDeltas + 21) + "}}");
        return Optional.of(out.toByteArray());
    }

    private static void frame(ByteArrayOutputStream out, String eventType, String payload) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":event-type", HeaderValue.fromString(eventType));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("event"));
        new Message(headers, payload.getBytes(StandardCharsets.UTF_8)).encode(out);
    }
}
