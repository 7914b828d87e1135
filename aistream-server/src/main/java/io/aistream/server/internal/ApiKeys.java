package io.aistream.server.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * Bearer-key authentication. Keys are kept only as SHA-256 digests and compared in constant time
 * (every configured key is compared, whatever matches); a caller is identified by a short digest
 * prefix ({@code key:1a2b3c4d}), so logs, metrics and stream ownership never hold a key.
 */
final class ApiKeys {
    /** The principal of every caller when no keys are configured. */
    static final String ANONYMOUS = "anonymous";

    private final List<byte[]> digests;

    ApiKeys(List<String> keys) {
        this.digests = keys.stream().map(ApiKeys::sha256).toList();
    }

    boolean required() {
        return !digests.isEmpty();
    }

    /** The caller's principal id, or empty if keys are required and the request has no valid one. */
    Optional<String> authenticate(Request request) {
        if (digests.isEmpty()) {
            return Optional.of(ANONYMOUS);
        }
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return authenticateToken(header.substring(7).strip());
    }

    /**
     * The principal of a bare key presented some other way than the {@code Authorization} header
     * (a WebSocket's query parameter or sub-protocol), or empty if keys are required and it is not one.
     */
    Optional<String> authenticateToken(String token) {
        if (digests.isEmpty()) {
            return Optional.of(ANONYMOUS);
        }
        byte[] presented = sha256(token);
        byte[] match = null;
        for (byte[] digest : digests) {
            if (MessageDigest.isEqual(digest, presented)) {
                match = digest;
            }
        }
        return match == null ? Optional.empty() : Optional.of("key:" + HexFormat.of().formatHex(match, 0, 4));
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
