package io.aistream.provider.bedrock;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;
import io.aistream.json.Jackson;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.ProviderHttpException;
import io.aistream.provider.spi.ProviderProtocol;
import io.aistream.provider.spi.StreamDecoder;
import io.aistream.provider.spi.UpstreamRequest;
import io.aistream.provider.support.Endpoints;
import io.aistream.request.ChatRequest;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import tools.jackson.databind.json.JsonMapper;

/**
 * Amazon Bedrock {@code ConverseStream} (protocol id {@value #ID}).
 *
 * <p><b>Endpoint.</b> {@code POST {baseUrl}/model/{modelId}/converse-stream}, the model id
 * percent-encoded as one path segment (ARNs and ids with {@code :} work). The base URL is the
 * config's; a config base URL without a host (e.g. the empty URI) means the regional default
 * {@link #defaultBaseUrl(String) https://bedrock-runtime.{region}.amazonaws.com}.
 *
 * <p><b>Settings.</b> {@code region} (else taken from a {@code bedrock-runtime.<region>.amazonaws.com}
 * base URL), {@code accessKeyId}, {@code secretAccessKey} and optional {@code sessionToken}: the
 * request is signed with AWS Signature Version 4 (service {@code bedrock}, signed payload) by the
 * AWS SDK's signer, at the time of the injected {@link Clock}. Without access keys, the config's
 * API key is sent as a Bedrock API key ({@code Authorization: Bearer}). Credentials are never
 * logged or put in messages.
 *
 * <p><b>Body.</b> See {@link ConverseRequestMapper}: Converse JSON; a reasoning budget becomes
 * Anthropic-style {@code additionalModelRequestFields.thinking}; URL images other than
 * {@code data:} and {@code s3://} are rejected with an
 * {@link io.aistream.provider.spi.UnsupportedOptionException}.
 *
 * <p><b>Response.</b> {@link BedrockStreamDecoder}; errors via {@link #toException}.
 *
 * <p>Stateless and thread-safe.
 */
public final class BedrockProtocol implements ProviderProtocol {
    /** The protocol id. */
    public static final String ID = "bedrock";
    /** Setting: the AWS region, e.g. {@code us-east-1}. */
    public static final String REGION = "region";
    /** Setting: the AWS access key id. */
    public static final String ACCESS_KEY_ID = "accessKeyId";
    /** Setting: the AWS secret access key. */
    public static final String SECRET_ACCESS_KEY = "secretAccessKey";
    /** Setting: the AWS session token of temporary credentials (optional). */
    public static final String SESSION_TOKEN = "sessionToken";

    private static final JsonMapper JSON = Jackson.mapper();
    private static final Pattern REGIONAL_HOST =
            Pattern.compile("bedrock-runtime(?:-fips)?\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?");
    private static final String EVENT_STREAM = "application/vnd.amazon.eventstream";

    private final Clock clock;

    /** A protocol signing with the system clock. */
    public BedrockProtocol() {
        this(Clock.systemUTC());
    }

    /** A protocol signing at the times {@code clock} gives (tests pass a fixed clock). */
    public BedrockProtocol(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The regional Bedrock runtime endpoint, {@code https://bedrock-runtime.{region}.amazonaws.com}. */
    public static URI defaultBaseUrl(String region) {
        return URI.create("https://bedrock-runtime." + region + ".amazonaws.com");
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public UpstreamRequest toRequest(ChatRequest request, ProviderConfig config) {
        String model = request.model()
                .filter(m -> !m.isBlank())
                .orElseThrow(() -> new AIStreamException(ErrorCode.INVALID_REQUEST, "bedrock needs a model id"));
        byte[] body = JSON.writeValueAsBytes(ConverseRequestMapper.toBody(request));
        Optional<String> region = region(config);
        URI base = config.baseUrl().getHost() != null
                ? config.baseUrl()
                : defaultBaseUrl(region.orElseThrow(() -> missing(config, "the setting '" + REGION + "'")));
        URI uri = endpoint(base, model);

        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/json"));
        headers.put("Accept", List.of(EVENT_STREAM));
        Optional<String> accessKey = config.setting(ACCESS_KEY_ID).filter(s -> !s.isBlank());
        if (accessKey.isPresent()) {
            String secret = config.setting(SECRET_ACCESS_KEY)
                    .filter(s -> !s.isBlank())
                    .orElseThrow(() -> missing(config, "the setting '" + SECRET_ACCESS_KEY + "'"));
            String signingRegion = region.orElseThrow(() -> missing(config, "the setting '" + REGION + "'"));
            AwsCredentialsIdentity credentials = config.setting(SESSION_TOKEN)
                    .filter(s -> !s.isBlank())
                    .<AwsCredentialsIdentity>map(
                            token -> AwsSessionCredentialsIdentity.create(accessKey.get(), secret, token))
                    .orElseGet(() -> AwsCredentialsIdentity.create(accessKey.get(), secret));
            return new UpstreamRequest(uri, SigV4.sign(uri, headers, body, credentials, signingRegion, clock), body);
        }
        String apiKey = config.apiKey()
                .filter(s -> !s.isBlank())
                .orElseThrow(() -> new AIStreamException(
                        ErrorCode.AUTHENTICATION,
                        "bedrock provider '" + config.name() + "' needs the settings '" + ACCESS_KEY_ID + "' and '"
                                + SECRET_ACCESS_KEY + "' (or a Bedrock API key)"));
        headers.put("Authorization", List.of("Bearer " + apiKey));
        return new UpstreamRequest(uri, headers, body);
    }

    @Override
    public StreamDecoder newDecoder(DecoderContext context) {
        return new BedrockStreamDecoder(context);
    }

    @Override
    public ProviderHttpException toException(int status, HttpHeaders headers, byte[] body, ProviderConfig config) {
        return ErrorResponses.toException(config.name(), status, headers, body, JSON, clock);
    }

    private static Optional<String> region(ProviderConfig config) {
        Optional<String> setting = config.setting(REGION).map(String::strip).filter(s -> !s.isEmpty());
        if (setting.isPresent() || config.baseUrl().getHost() == null) {
            return setting;
        }
        Matcher m = REGIONAL_HOST.matcher(config.baseUrl().getHost());
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static URI endpoint(URI base, String model) {
        String text = base.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return URI.create(text + "/model/" + Endpoints.encodeSegment(model) + "/converse-stream");
    }

    private static AIStreamException missing(ProviderConfig config, String what) {
        return new AIStreamException(
                ErrorCode.INVALID_REQUEST, "bedrock provider '" + config.name() + "' needs " + what);
    }
}
