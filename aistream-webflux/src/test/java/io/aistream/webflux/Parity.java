package io.aistream.webflux;

import io.aistream.server.AistreamServer;
import io.aistream.server.config.ServerConfig;
import io.aistream.testing.RawHttp;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One request sent to the Jetty gateway and to the WebFlux binding with the same configuration, and
 * what each answered, with what must differ (a new stream's random id, a timestamp) normalized.
 */
record Parity(Answer jetty, Answer webflux) {
    private static final Pattern CREATED = Pattern.compile("\"created(_at)?\":\\d+");
    private static final Pattern STREAM_ID = Pattern.compile("st_[A-Za-z0-9_-]{16}");
    private static final Pattern MESSAGE_ID = Pattern.compile("(chatcmpl|msg|resp)[-_][A-Za-z0-9_-]{8,}");

    /** Status, content type and normalized body. */
    record Answer(int status, String contentType, String body) {}

    static Parity of(ServerConfig config, String method, String path, Map<String, String> headers, String body)
            throws Exception {
        Answer jetty;
        try (AistreamServer server = AistreamServer.start(config)) {
            jetty = answer(server.port(), method, path, headers, body);
        }
        Answer webflux;
        try (WebFluxServer server = WebFluxServer.start(config)) {
            webflux = answer(server.port(), method, path, headers, body);
        }
        return new Parity(jetty, webflux);
    }

    static Answer answer(int port, String method, String path, Map<String, String> headers, String body)
            throws Exception {
        try (RawHttp http = RawHttp.request(port, method, path, headers, body)) {
            String text = http.bodyText();
            text = CREATED.matcher(text).replaceAll("\"created$1\":0");
            text = STREAM_ID.matcher(text).replaceAll("<stream-id>");
            text = MESSAGE_ID.matcher(text).replaceAll("$1-<id>");
            String type = http.header("Content-Type").orElse("");
            return new Answer(http.status(), type, text);
        }
    }
}
