package io.aistream.server.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Bearer-key authentication. Keys are kept only as SHA-256 digests and compared in constant time
 * (every configured key is compared, whatever matches); a caller is identified by a short digest
 * prefix ({@code key:1a2b3c4d}), so logs, metrics and stream ownership never hold a key.
 *
 * <p>The gateway holds one instance, used by the {@link Dispatcher}'s one authentication step; the
 * way a route's callers present their key is the route's {@link Access}. Immutable, thread-safe.
 */
public final class ApiKeys {
    /** The principal of every caller when no keys are configured. */
    public static final String ANONYMOUS = "anonymous";

    private final List<byte[]> digests;

    public ApiKeys(List<String> keys) {
        this.digests = keys.stream().map(ApiKeys::sha256).toList();
    }

    /** Whether callers must present a key. */
    public boolean required() {
        return !digests.isEmpty();
    }

    /**
     * The token of an {@code Authorization: Bearer <token>} header (stripped; possibly blank), or empty
     * when the request has no such header.
     */
    public static Optional<String> bearerToken(HttpRequest request) {
        Optional<String> header = request.header("Authorization");
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String h = header.get();
        if (h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return Optional.of(h.substring(7).strip());
    }

    /**
     * The principal of a presented key, or empty if keys are required and it is not one (every key is
     * one when none are configured: {@link #ANONYMOUS}).
     */
    public Optional<String> authenticateToken(String token) {
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
        return match == null
                ? Optional.empty()
                : Optional.of("key:" + HexFormat.of().formatHex(match, 0, 4));
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
