package io.aistream.provider.bedrock;

import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Signs a POST with AWS Signature Version 4 using the AWS SDK's {@link AwsV4HttpSigner} (header
 * auth, signed payload, service {@code bedrock}). The returned headers are the request's headers
 * plus {@code Authorization}, {@code X-Amz-Date}, {@code x-amz-content-sha256} and, for session
 * credentials, {@code X-Amz-Security-Token}; {@code Host} is signed but left out of the result,
 * since {@link java.net.http.HttpClient} sets it itself (from the same URI). Stateless and
 * thread-safe.
 */
final class SigV4 {
    static final String SERVICE = "bedrock";
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    private SigV4() {}

    static Map<String, List<String>> sign(
            URI uri,
            Map<String, List<String>> headers,
            byte[] body,
            AwsCredentialsIdentity credentials,
            String region,
            Clock clock) {
        SdkHttpRequest request = SdkHttpRequest.builder()
                .uri(uri)
                .method(SdkHttpMethod.POST)
                .headers(headers)
                .build();
        SignedRequest signed = SIGNER.sign(r -> r.identity(credentials)
                .request(request)
                .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));
        Map<String, List<String>> result = new LinkedHashMap<>();
        signed.request().forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("host")) {
                result.put(name, List.copyOf(values));
            }
        });
        return result;
    }
}
