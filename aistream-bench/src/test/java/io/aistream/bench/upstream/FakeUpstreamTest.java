package io.aistream.bench.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FakeUpstreamTest {
    private static final long MS = 1_000_000L;
    private static FakeUpstream upstream;
    private static HttpClient http;

    @BeforeAll
    static void start() throws IOException {
        upstream = FakeUpstream.start();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() {
        upstream.close();
        http.close();
    }

    private record Arrival(long receivedNanos, String line) {}

    private static List<Arrival> stream(String body) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(upstream.baseUrl() + "/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<Stream<String>> resp = http.send(req, HttpResponse.BodyHandlers.ofLines());
        assertThat(resp.statusCode()).isEqualTo(200);
        assertThat(resp.headers().firstValue("content-type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        List<Arrival> out = new ArrayList<>();
        try (Stream<String> lines = resp.body()) {
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                out.add(new Arrival(System.nanoTime(), line));
            }
        }
        return out;
    }

    @Test
    void pacesChunksOnAnAbsoluteScheduleAndStampsTheirSendTime() throws Exception {
        long sent = System.nanoTime();
        List<Arrival> lines = stream("""
                {"model":"m","stream":true,"aistream_bench":{"chunks":10,"rate":20,"chunkSize":6}}""");

        List<long[]> stamps = new ArrayList<>(); // seq, sent, received
        for (Arrival a : lines) {
            Stamp.scan(a.line(), (seq, t) -> stamps.add(new long[] {seq, t, a.receivedNanos()}));
        }
        assertThat(stamps).hasSize(10);
        long first = stamps.get(0)[1];
        assertThat(first).isGreaterThanOrEqualTo(sent);
        for (int i = 0; i < stamps.size(); i++) {
            long[] s = stamps.get(i);
            assertThat(s[0]).isEqualTo(i);
            // never early: chunk i is due 50 ms × i after the stream began, which was after the request was sent
            assertThat(s[1] - sent).as("chunk %d", i).isGreaterThanOrEqualTo(i * 50 * MS);
            // received after it was sent, and (loopback) well within a second
            assertThat(s[2] - s[1]).as("chunk %d latency", i).isBetween(0L, 1000 * MS);
        }
        // the schedule does not drift: the last chunk is due 9 intervals after the stream began (which
        // was after the request was sent); a late first chunk must not push the rest back
        assertThat(stamps.get(9)[1] - sent).isBetween(450 * MS, 450 * MS + 400 * MS);
    }

    @Test
    void speaksOpenAiChatCompletionChunksWithUsageAndDone() throws Exception {
        List<String> data = stream("""
                {"model":"gpt-x","stream":true,"aistream_bench":{"chunks":2,"rate":0,"chunkSize":3}}""").stream()
                .map(Arrival::line)
                .filter(l -> l.startsWith("data: "))
                .map(l -> l.substring(6))
                .toList();

        assertThat(data).hasSize(6);
        assertThat(data.get(0))
                .contains("\"object\":\"chat.completion.chunk\"")
                .contains("\"model\":\"gpt-x\"")
                .contains("\"delta\":{\"role\":\"assistant\",\"content\":\"\"}");
        assertThat(data.get(1)).matches(".*\"delta\":\\{\"content\":\"\\|000000:\\d{19}\\|lor\"}.*");
        assertThat(data.get(2)).contains("|000001:");
        assertThat(data.get(3)).contains("\"finish_reason\":\"stop\"");
        assertThat(data.get(4))
                .contains("\"choices\":[]")
                .contains("\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":2,\"total_tokens\":10}");
        assertThat(data.get(5)).isEqualTo("[DONE]");
    }

    @Test
    void cutClosesTheConnectionMidStreamWithoutATerminal() throws IOException {
        String response = raw("/v1/chat/completions", """
                {"stream":true,"aistream_bench":{"chunks":10,"rate":0,"fault":"cut@3"}}""");

        assertThat(response).startsWith("HTTP/1.1 200 ");
        assertThat(countStamps(response)).isEqualTo(3);
        assertThat(response)
                .doesNotContain("[DONE]")
                .doesNotContain("finish_reason\":\"stop")
                .doesNotEndWith("0\r\n\r\n");
    }

    @Test
    void rateLimitFaultAnswers429WithRetryAfter() throws IOException {
        String response = raw("/v1/chat/completions", """
                {"stream":true,"aistream_bench":{"fault":"429:7"}}""");

        assertThat(response)
                .startsWith("HTTP/1.1 429 Too Many Requests\r\n")
                .contains("\r\nRetry-After: 7\r\n")
                .contains("\"type\":\"rate_limit_error\"");
    }

    @Test
    void stallPausesAfterTheGivenChunkThenGoesOn() throws Exception {
        List<long[]> stamps = new ArrayList<>();
        for (Arrival a : stream("""
                {"stream":true,"aistream_bench":{"chunks":4,"rate":0,"fault":"stall@2:300"}}""")) {
            Stamp.scan(a.line(), (seq, t) -> stamps.add(new long[] {seq, t}));
        }

        assertThat(stamps).hasSize(4);
        assertThat(stamps.get(2)[1] - stamps.get(1)[1]).isGreaterThanOrEqualTo(300 * MS);
    }

    @Test
    void modelSuffixAndMaxTokensSetTheStreamForRelaysThatDropUnknownFields() throws Exception {
        long n = stream("{\"model\":\"m@chunks=3,rate=0\",\"stream\":true,\"max_tokens\":50}").stream()
                .filter(a -> a.line().contains("|00000"))
                .count();
        long m = stream("{\"model\":\"m\",\"stream\":true,\"max_tokens\":4,\"aistream_bench\":{\"rate\":0}}").stream()
                .filter(a -> a.line().contains("|00000"))
                .count();

        assertThat(n).isEqualTo(3);
        assertThat(m).isEqualTo(4);
    }

    @Test
    void badRequestsGetAClear400() throws IOException {
        assertThat(raw("/v1/chat/completions", "{\"stream\":false}"))
                .startsWith("HTTP/1.1 400 ")
                .contains("stream");
        assertThat(raw("/v1/chat/completions", "not json")).startsWith("HTTP/1.1 400 ");
        assertThat(raw("/v1/chat/completions", "{\"stream\":true,\"aistream_bench\":{\"chunks\":\"x\"}}"))
                .startsWith("HTTP/1.1 400 ")
                .contains("chunks");
        assertThat(raw("/nope", "{}")).startsWith("HTTP/1.1 404 ");
    }

    @Test
    void nativeStandInSpeaksNativeChunks() throws IOException {
        String response = raw("/v1/stream", """
                {"provider":"bench","model":"m","maxOutputTokens":2,"providerOptions":{"aistream_bench":{"rate":0}}}""");

        assertThat(response)
                .contains("id: 0\ndata: {\"id\":\"st_bench")
                .contains("\"seq\":0,\"type\":\"content\",\"delta\":\"|000000:")
                .contains("\"type\":\"done\",\"finishReason\":\"stop\"")
                .contains("data: [DONE]\n\n");
        assertThat(countStamps(response)).isEqualTo(2);
    }

    @Test
    void statsCountStreamsAndChunks() throws Exception {
        long before = upstream.stats().chunksSent();
        stream("{\"stream\":true,\"aistream_bench\":{\"chunks\":5,\"rate\":0}}");

        assertThat(upstream.stats().chunksSent() - before).isEqualTo(5);
        assertThat(raw("/stats", null)).contains("\"chunksSent\":");
    }

    /** One request with Connection: close; the whole response as text. */
    private static String raw(String path, String body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", upstream.port())) {
            byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            String head = (body == null ? "GET " : "POST ") + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    + "Content-Length: " + b.length + "\r\n\r\n";
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static int countStamps(String text) {
        return Stamp.scan(text, (seq, t) -> {});
    }
}
