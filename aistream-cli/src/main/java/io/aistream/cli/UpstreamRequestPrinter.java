package io.aistream.cli;

import io.aistream.provider.spi.UpstreamRequest;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Prints an {@link UpstreamRequest} for a person: {@code POST <url>}, the headers sorted by name (one
 * line per value), a blank line, the body, with every credential redacted — the values of
 * {@code authorization} (its scheme kept; of an AWS signature only the signature and the access key
 * id are hidden), {@code x-api-key}, {@code x-goog-api-key}, {@code api-key},
 * {@code x-amz-security-token}, any other header whose name says key, token, secret or signature,
 * and of credential query parameters ({@code key=}, {@code api-key=}, {@code access_token=}, ...).
 * The body is printed byte for byte (or indented, with {@code pretty}, when it is JSON), then one
 * newline that is not part of it. Stateless.
 */
final class UpstreamRequestPrinter {
    static final String REDACTED = "<redacted>";

    private static final Set<String> SECRET_HEADERS =
            Set.of("authorization", "x-api-key", "x-goog-api-key", "api-key", "x-amz-security-token");
    private static final Pattern SECRET_HEADER_NAME =
            Pattern.compile(".*(key|token|secret|signature|password|credential).*");
    private static final Set<String> SECRET_QUERY_PARAMETERS = Set.of(
            "key",
            "api-key",
            "api_key",
            "apikey",
            "access_token",
            "token",
            "sig",
            "signature",
            "x-amz-signature",
            "x-amz-security-token",
            "x-amz-credential");
    private static final Pattern AWS_SIGNATURE = Pattern.compile("Signature=[0-9a-fA-F]+");
    private static final Pattern AWS_KEY_ID = Pattern.compile("Credential=[^/,\\s]+");

    private UpstreamRequestPrinter() {}

    /** The whole printout: request line, headers, blank line, body and a final newline. */
    static byte[] print(UpstreamRequest request, boolean pretty) {
        StringBuilder head = new StringBuilder();
        head.append("POST ").append(redactQuery(request.uri())).append('\n');
        List<Map.Entry<String, List<String>>> headers =
                new ArrayList<>(request.headers().entrySet());
        headers.sort(Comparator.comparing(
                        (Map.Entry<String, List<String>> e) -> e.getKey().toLowerCase(Locale.ROOT))
                .thenComparing(Map.Entry::getKey));
        for (Map.Entry<String, List<String>> h : headers) {
            for (String value : h.getValue()) {
                head.append(h.getKey())
                        .append(": ")
                        .append(redactHeader(h.getKey(), value))
                        .append('\n');
            }
        }
        head.append('\n');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(pretty ? pretty(request.body()) : request.body());
        out.write('\n');
        return out.toByteArray();
    }

    static String redactHeader(String name, String value) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("authorization")) {
            if (value.startsWith("AWS4-")) {
                String hidden = AWS_SIGNATURE.matcher(value).replaceAll("Signature=" + REDACTED);
                return AWS_KEY_ID.matcher(hidden).replaceAll("Credential=" + REDACTED);
            }
            int space = value.indexOf(' ');
            return space > 0 ? value.substring(0, space + 1) + REDACTED : REDACTED;
        }
        if (SECRET_HEADERS.contains(lower) || SECRET_HEADER_NAME.matcher(lower).matches()) {
            return REDACTED;
        }
        return value;
    }

    /** The URL with the values of credential query parameters replaced (the rest as sent, still encoded). */
    static String redactQuery(URI uri) {
        String text = uri.toString();
        String query = uri.getRawQuery();
        if (query == null) {
            return text;
        }
        List<String> parts = new ArrayList<>();
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            parts.add(
                    eq >= 0 && SECRET_QUERY_PARAMETERS.contains(name.toLowerCase(Locale.ROOT))
                            ? name + "=" + REDACTED
                            : pair);
        }
        int q = text.indexOf('?');
        String fragment = uri.getRawFragment() == null ? "" : "#" + uri.getRawFragment();
        return text.substring(0, q + 1) + String.join("&", parts) + fragment;
    }

    private static byte[] pretty(byte[] body) {
        JsonMapper json =
                JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        try {
            return json.writeValueAsBytes(json.readTree(body));
        } catch (JacksonException e) {
            return body; // not JSON (never for today's providers): shown as it is
        }
    }
}
