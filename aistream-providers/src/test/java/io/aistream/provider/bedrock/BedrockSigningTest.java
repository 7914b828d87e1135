package io.aistream.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.UpstreamRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The SigV4 headers of a Bedrock request under a fixed clock, checked against a signature computed
 * here independently from AWS's published algorithm (canonical request with the path segments
 * URI-encoded twice, as for every service but S3).
 */
class BedrockSigningTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC);
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    private static ProviderConfig config(Map<String, String> extra) {
        Map<String, String> settings =
                new TreeMap<>(Map.of("region", "us-west-2", "accessKeyId", "AKIDEXAMPLE", "secretAccessKey", SECRET));
        settings.putAll(extra);
        return new ProviderConfig(
                "bedrock",
                "bedrock",
                URI.create("https://bedrock-runtime.us-west-2.amazonaws.com"),
                Optional.empty(),
                settings);
    }

    private static UpstreamRequest sign(Map<String, String> extra) {
        return new BedrockProtocol(CLOCK).toRequest(BedrockRequestTest.minimal().build(), config(extra));
    }

    private static String header(UpstreamRequest request, String name) {
        return request.headers().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(e -> String.join(",", e.getValue()))
                .findFirst()
                .orElse(null);
    }

    @Test
    void signatureHeadersAreStableUnderAFixedClockAndHaveTheSigV4Shape() {
        UpstreamRequest request = sign(Map.of());

        assertThat(header(request, "x-amz-date")).isEqualTo("20250102T030405Z");
        assertThat(header(request, "x-amz-content-sha256")).isEqualTo(sha256Hex(request.body()));
        assertThat(header(request, "Authorization"))
                .matches(
                        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250102/us-west-2/bedrock/aws4_request, "
                                + "SignedHeaders=accept;content-type;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}");
        assertThat(header(request, "host")).as("HttpClient sets Host itself").isNull();
        assertThat(sign(Map.of()).headers()).isEqualTo(request.headers());
    }

    @Test
    void signatureMatchesAnIndependentSigV4Computation() throws GeneralSecurityException {
        UpstreamRequest request = sign(Map.of());

        assertThat(header(request, "Authorization")).endsWith("Signature=" + expectedSignature(request, "us-west-2"));
    }

    @Test
    void sessionTokenIsSentAndSigned() throws GeneralSecurityException {
        UpstreamRequest request = sign(Map.of("sessionToken", "FwoGZXIvYXdzEXAMPLE"));

        assertThat(header(request, "x-amz-security-token")).isEqualTo("FwoGZXIvYXdzEXAMPLE");
        assertThat(header(request, "Authorization"))
                .contains(
                        "SignedHeaders=accept;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token,")
                .endsWith("Signature=" + expectedSignature(request, "us-west-2"));
    }

    @Test
    void theSecretKeyAppearsInNoHeaderNorInTheRequestsString() {
        UpstreamRequest request = sign(Map.of());

        assertThat(request.headers().values())
                .allSatisfy(values -> assertThat(values).noneMatch(v -> v.contains(SECRET)));
        assertThat(request.toString()).doesNotContain(SECRET).doesNotContain("Signature=");
    }

    /** AWS Signature Version 4, computed from the request as sent (every header is signed). */
    private static String expectedSignature(UpstreamRequest request, String region) throws GeneralSecurityException {
        String amzDate = header(request, "x-amz-date");
        String date = amzDate.substring(0, 8);
        TreeMap<String, String> headers = new TreeMap<>();
        request.headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("authorization")) {
                headers.put(name.toLowerCase(), String.join(",", values).strip());
            }
        });
        headers.put("host", request.uri().getHost());
        String canonicalUri = List.of(request.uri().getRawPath().split("/", -1)).stream()
                .map(segment -> segment.replace("%", "%25"))
                .collect(Collectors.joining("/"));
        String canonicalRequest = String.join(
                "\n",
                "POST",
                canonicalUri,
                "",
                headers.entrySet().stream()
                        .map(e -> e.getKey() + ":" + e.getValue() + "\n")
                        .collect(Collectors.joining()),
                String.join(";", headers.keySet()),
                sha256Hex(request.body()));
        String scope = date + "/" + region + "/bedrock/aws4_request";
        String stringToSign = String.join(
                "\n", "AWS4-HMAC-SHA256", amzDate, scope, sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + SECRET).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, "bedrock");
        key = hmac(key, "aws4_request");
        return HexFormat.of().formatHex(hmac(key, stringToSign));
    }

    private static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
