package io.aistream.provider.vertex;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;
import io.aistream.provider.support.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A Google service-account key file ({@code "type": "service_account"}): the account's e-mail, its RSA
 * private key (PKCS#8 PEM), the key's id and the OAuth token endpoint. {@link #toString()} never shows
 * the key. Immutable and thread-safe.
 *
 * @param clientEmail  the account, the JWT's issuer
 * @param privateKey   the RSA key the JWT is signed with
 * @param privateKeyId the key's id, sent as the JWT header's {@code kid} when present
 * @param tokenUri     where the signed JWT is exchanged for an access token (the JWT's audience)
 */
record ServiceAccount(String clientEmail, PrivateKey privateKey, Optional<String> privateKeyId, URI tokenUri) {
    /** Google's token endpoint, for key files that name none. */
    static final URI DEFAULT_TOKEN_URI = URI.create("https://oauth2.googleapis.com/token");
    /** A key file is a few KiB; anything much larger is not one. */
    static final int MAX_FILE_BYTES = 64 * 1024;
    /** How errors name the file: by the setting and variable, not by its path. */
    static final String SOURCE = "(setting '" + VertexSettings.CREDENTIALS_FILE + "', GOOGLE_APPLICATION_CREDENTIALS)";

    ServiceAccount {
        Objects.requireNonNull(clientEmail, "clientEmail");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(privateKeyId, "privateKeyId");
        Objects.requireNonNull(tokenUri, "tokenUri");
    }

    /**
     * Reads the key file at {@code file}.
     *
     * @throws AIStreamException ({@code authentication}) saying what is wrong with the file, never quoting
     *                           the key nor naming the file's path (the message may reach API clients)
     */
    static ServiceAccount read(Path file) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (IOException e) {
            throw invalid(SOURCE, "cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw invalid(SOURCE, "is larger than " + MAX_FILE_BYTES + " bytes");
        }
        return parse(bytes, SOURCE);
    }

    /** Parses a key file's bytes; {@code source} names it in errors. */
    static ServiceAccount parse(byte[] json, String source) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw invalid(source, "is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw invalid(source, "is not a JSON object");
        }
        String type = Json.text(root.get("type"));
        if (!"service_account".equals(type)) {
            throw invalid(
                    source,
                    "is not a service-account key (its \"type\" is " + (type == null ? "missing" : "'" + type + "'")
                            + ", expected 'service_account')");
        }
        String email = required(root, "client_email", source);
        String pem = required(root, "private_key", source);
        Optional<String> keyId =
                Optional.ofNullable(Json.text(root.get("private_key_id"))).filter(s -> !s.isBlank());
        URI tokenUri = Optional.ofNullable(Json.text(root.get("token_uri")))
                .filter(s -> !s.isBlank())
                .map(s -> tokenUri(s, source))
                .orElse(DEFAULT_TOKEN_URI);
        return new ServiceAccount(email, privateKey(pem, source), keyId, tokenUri);
    }

    private static String required(JsonNode root, String field, String source) {
        String value = Json.text(root.get(field));
        if (value == null || value.isBlank()) {
            throw invalid(source, "has no \"" + field + "\"");
        }
        return value;
    }

    private static URI tokenUri(String text, String source) {
        try {
            URI uri = URI.create(text.strip());
            if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw invalid(source, "has a \"token_uri\" that is not an http(s) URL");
        }
    }

    private static PrivateKey privateKey(String pem, String source) {
        if (pem.contains("BEGIN RSA PRIVATE KEY")) {
            throw invalid(source, "has a PKCS#1 \"private_key\"; a service-account key is PKCS#8 (BEGIN PRIVATE KEY)");
        }
        String begin = "-----BEGIN PRIVATE KEY-----";
        String end = "-----END PRIVATE KEY-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw invalid(source, "has a \"private_key\" that is not a PEM PKCS#8 key");
        }
        try {
            byte[] der = Base64.getMimeDecoder()
                    .decode(pem.substring(from + begin.length(), to).getBytes(StandardCharsets.US_ASCII));
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            // the exception's message may describe key bytes: it is not passed on
            throw invalid(source, "has a \"private_key\" that is not a readable RSA key");
        }
    }

    private static AIStreamException invalid(Object source, String what) {
        return new AIStreamException(
                ErrorCode.AUTHENTICATION, "vertex: the service-account key file " + source + " " + what);
    }

    @Override
    public String toString() {
        return "ServiceAccount[" + clientEmail + ", tokenUri=" + tokenUri + "]";
    }
}
