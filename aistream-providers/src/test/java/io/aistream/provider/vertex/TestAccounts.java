package io.aistream.provider.vertex;

import io.aistream.provider.support.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/** A test service account: an RSA key made for the test run, written as a key file; and a settable clock. */
final class TestAccounts {
    static final String EMAIL = "streamer@aistream-test.iam.gserviceaccount.com";
    static final String KEY_ID = "3f1c0a9d7b2e4c8a9e6d5b4a3c2f1e0d9c8b7a6f";
    /** One key for the whole run: generating RSA keys is slow. */
    static final KeyPair KEYS = generate();

    private TestAccounts() {}

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The private key as the PKCS#8 PEM a key file holds. */
    static String pem() {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(KEYS.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    /** Writes a service-account key file naming {@code tokenUri} into {@code dir}. */
    static Path keyFile(Path dir, URI tokenUri) throws IOException {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("type", "service_account");
        json.put("project_id", "aistream-test");
        json.put("private_key_id", KEY_ID);
        json.put("private_key", pem());
        json.put("client_email", EMAIL);
        json.put("client_id", "104729586315874219034");
        json.put("auth_uri", "https://accounts.google.com/o/oauth2/auth");
        json.put("token_uri", tokenUri.toString());
        Path file = dir.resolve("service-account.json");
        Files.write(file, Json.MAPPER.writeValueAsBytes(json));
        return file;
    }

    /** A token endpoint's answer. */
    static String tokenJson(String token, long expiresIn) {
        return "{\"access_token\":\"" + token + "\",\"expires_in\":" + expiresIn + ",\"token_type\":\"Bearer\"}";
    }

    /** The fields of an {@code application/x-www-form-urlencoded} body. */
    static Map<String, String> form(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            fields.put(
                    URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return fields;
    }

    /** A clock the test sets and advances. Thread-safe. */
    static final class SettableClock extends Clock {
        private volatile Instant now;

        SettableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
