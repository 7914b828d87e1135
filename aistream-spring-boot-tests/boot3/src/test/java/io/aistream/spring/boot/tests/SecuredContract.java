package io.aistream.spring.boot.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/**
 * The mounted routes behind the application's Spring Security (HTTP Basic on {@code /v1/**}, see
 * {@link TestSecurity}): the application's 401 without credentials; with them the stream belongs to
 * that user: another user can neither resume nor abort it. Also resume from {@code Last-Event-ID},
 * DELETE, and the keep-alive comment ({@code aistream.keep-alive-seconds=1}). Unpaced simulated
 * provider, fixed seed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class SecuredContract {

    @Autowired
    Environment environment;

    final HttpClient http = HttpClient.newHttpClient();

    int port() {
        return Integer.parseInt(environment.getProperty("local.server.port"));
    }

    static String basic(String user) {
        return "Basic "
                + Base64.getEncoder()
                        .encodeToString((user + ":" + TestSecurity.PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> send(String method, String path, String user, String body, String lastEventId)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .header("content-type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            b.header("authorization", basic(user));
        }
        if (lastEventId != null) {
            b.header("last-event-id", lastEventId);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String resumableLorem() {
        return "{\"provider\":\"simulated\",\"model\":\"lorem\",\"resumable\":true,\"providerOptions\":{\"seed\":"
                + MountContract.SEED + ",\"length\":12},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    @Test
    void withoutCredentialsTheApplicationAnswers401() throws Exception {
        HttpResponse<String> r = send("POST", "/v1/stream", null, resumableLorem(), null);
        assertThat(r.statusCode()).isEqualTo(401);
    }

    @Test
    void theStreamBelongsToTheUserWhoStartedIt() throws Exception {
        HttpResponse<String> started = send("POST", "/v1/stream", "alice", resumableLorem(), null);
        assertThat(started.statusCode()).isEqualTo(200);
        assertThat(started.body()).endsWith("data: [DONE]\n\n");
        String id = started.headers().firstValue("x-stream-id").orElseThrow();

        HttpResponse<String> resumed = send("GET", "/v1/streams/" + id, "alice", null, "2");
        assertThat(resumed.statusCode()).isEqualTo(200);
        assertThat(resumed.body()).contains("id: 3\n").doesNotContain("id: 2\n").endsWith("data: [DONE]\n\n");
        // the resumed events are the original's after event 2, byte for byte
        String original = started.body();
        String tail = original.substring(original.indexOf("id: 3\n"));
        assertThat(resumed.body()).endsWith(tail);

        assertThat(send("GET", "/v1/streams/" + id, "bob", null, "2").statusCode())
                .isEqualTo(404);
        assertThat(send("DELETE", "/v1/streams/" + id, "bob", null, null).statusCode())
                .isEqualTo(404);
        HttpResponse<String> deleted = send("DELETE", "/v1/streams/" + id, "alice", null, null);
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(deleted.body()).isEqualTo("{\"id\":\"" + id + "\",\"aborted\":false}");
    }

    @Test
    void anIdleStreamGetsKeepAlivesAndDeleteAbortsIt() throws Exception {
        String body =
                "{\"provider\":\"simulated\",\"model\":\"lorem\",\"resumable\":true,\"providerOptions\":{\"seed\":"
                        + MountContract.SEED + ",\"length\":40,\"stallAfter\":2},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Socket socket = new Socket("127.0.0.1", port());
        try {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Authorization: " + basic("alice") + "\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            String seen = readUntil(in, new StringBuilder(), ": keepalive");
            int at = seen.toLowerCase().indexOf("x-stream-id: ");
            String id = seen.substring(at + "x-stream-id: ".length(), seen.indexOf('\r', at));
            HttpResponse<String> deleted = send("DELETE", "/v1/streams/" + id, "alice", null, null);
            assertThat(deleted.statusCode()).isEqualTo(200);
            assertThat(deleted.body()).isEqualTo("{\"id\":\"" + id + "\",\"aborted\":true}");
            readUntil(in, new StringBuilder(seen), "data: [DONE]");
        } finally {
            socket.close();
        }
    }

    private static String readUntil(InputStream in, StringBuilder seen, String marker) throws Exception {
        while (!seen.toString().contains(marker)) {
            int b = in.read();
            assertThat(b).as("the stream ended before %s: %s", marker, seen).isNotEqualTo(-1);
            seen.append((char) b);
        }
        return seen.toString();
    }
}
