package io.aistream.provider.vertex;

import io.aistream.provider.support.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import tools.jackson.databind.node.ObjectNode;

/**
 * The signed JWT a service account exchanges for an OAuth access token (RFC 7523, as Google's
 * "OAuth 2.0 for server to server applications" describes it): header
 * {@code {"alg":"RS256","typ":"JWT","kid":<private_key_id>}}, claims {@code iss} = the account's
 * e-mail, {@code scope}, {@code aud} = the token endpoint, {@code iat} = now and {@code exp} = now + 1 h
 * (the longest Google accepts), signed with SHA256withRSA. Stateless.
 */
final class JwtAssertion {
    /** How long an assertion is valid; Google accepts at most one hour. */
    static final Duration LIFETIME = Duration.ofHours(1);

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private JwtAssertion() {}

    /** The compact JWT {@code header.claims.signature} for {@code account}, issued at {@code now}. */
    static String sign(ServiceAccount account, String scope, Instant now) {
        ObjectNode header = Json.MAPPER.createObjectNode();
        header.put("alg", "RS256");
        header.put("typ", "JWT");
        account.privateKeyId().ifPresent(kid -> header.put("kid", kid));
        long iat = now.getEpochSecond();
        ObjectNode claims = Json.MAPPER.createObjectNode();
        claims.put("iss", account.clientEmail());
        claims.put("scope", scope);
        claims.put("aud", account.tokenUri().toString());
        claims.put("iat", iat);
        claims.put("exp", iat + LIFETIME.toSeconds());
        String signingInput =
                encode(Json.MAPPER.writeValueAsBytes(header)) + "." + encode(Json.MAPPER.writeValueAsBytes(claims));
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(account.privateKey());
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + encode(rsa.sign());
        } catch (GeneralSecurityException e) {
            // every JDK has SHA256withRSA, and the key was parsed as an RSA key: this is a broken runtime
            throw new IllegalStateException(
                    "cannot sign with SHA256withRSA: " + e.getClass().getSimpleName(), e);
        }
    }

    private static String encode(byte[] bytes) {
        return BASE64URL.encodeToString(bytes);
    }
}
