package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.provider.registry.ProviderRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole path (gateway → registry → OpenAI protocol → a raw-socket upstream): retries and
 * fallbacks the transport makes show in {@code /metrics}, counted under the name the request used.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AttemptMetricsTest {
    private static final String STREAM = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n"
            + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
            + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";

    @Test
    void aRetryAndAFallbackAreCountedForTheNameTheRequestUsed() throws Exception {
        try (ScriptedUpstream upstream = new ScriptedUpstream()) {
            ProviderRegistry registry = ProviderRegistry.builder().config(JsonMapper.builder().build().readTree("""
                    {"providers":{"up":{"protocol":"openai-chat","preset":"vllm","baseUrl":"http://127.0.0.1:%1$d/v1"},
                                  "down":{"protocol":"openai-chat","preset":"vllm","baseUrl":"http://127.0.0.1:%1$d/v1"}},
                     "chains":{"robust":["down/m","up/m"]},
                     "retry":{"maxAttempts":2,"initialBackoffMs":1,"maxBackoffMs":1}}"""
                    .formatted(upstream.port())), Set.of()).build();
            try (AistreamServer server = AistreamServer.start(ServerConfig.builder().port(0)
                    .providers(registry.asProviders()).build())) {
                // "up": a 429, then the stream (one retry)
                upstream.replies.add(reply(429, "application/json", "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\"}}"));
                upstream.replies.add(reply(200, "text/event-stream", STREAM));
                assertThat(stream(server, "up")).contains("\"delta\":\"Hi\"").contains("\"finishReason\":\"stop\"");

                // "robust": its first target refuses the request (not retryable), the second streams (one fallback)
                upstream.replies.add(reply(400, "application/json", "{\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\"}}"));
                upstream.replies.add(reply(200, "text/event-stream", STREAM));
                assertThat(stream(server, "robust")).contains("\"delta\":\"Hi\"").contains("\"finishReason\":\"stop\"");

                String metrics;
                try (RawHttp http = RawHttp.request(server.port(), "GET", "/metrics", java.util.Map.of(), null)) {
                    metrics = http.bodyText();
                }
                assertThat(metrics).contains("aistream_retries_total{provider=\"up\"} 1.0")
                        .contains("aistream_fallbacks_total{provider=\"robust\"} 1.0")
                        .doesNotContain("aistream_retries_total{provider=\"robust\"} 1.0");
                assertThat(upstream.requests).isEqualTo(4);
            }
        }
    }

    private static String stream(AistreamServer server, String provider) throws IOException {
        try (RawHttp http = RawHttp.postJson(server.port(), "/v1/stream", "{\"provider\":\"" + provider
                + "\",\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")) {
            assertThat(http.status()).isEqualTo(200);
            return http.bodyText();
        }
    }

    private static String reply(int status, String type, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return "HTTP/1.1 " + status + " X\r\nContent-Type: " + type + "\r\nContent-Length: " + b.length
                + "\r\nConnection: close\r\n\r\n" + body;
    }

    /** Answers each request with the next scripted reply, one connection per request. */
    private static final class ScriptedUpstream implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final LinkedBlockingQueue<String> replies = new LinkedBlockingQueue<>();
        volatile int requests;

        ScriptedUpstream() throws IOException {
            Thread.ofVirtual().start(this::accept);
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                    int length = 0;
                    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                            length = Integer.parseInt(line.substring(15).trim());
                        }
                    }
                    for (long skipped = 0; skipped < length; ) {
                        long n = in.skip(length - skipped);
                        if (n <= 0) {
                            break;
                        }
                        skipped += n;
                    }
                    requests++;
                    String reply = replies.poll(10, TimeUnit.SECONDS);
                    OutputStream out = s.getOutputStream();
                    out.write((reply != null ? reply : reply(500, "text/plain", "no script")).getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
