package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.json.Jackson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * DNS rebinding (issue 11, item 3): a page on {@code rebind.attacker.example} whose name is re-pointed
 * at 127.0.0.1 reaches the loopback gateway through the victim's browser, with that name in
 * {@code Host} and its own origin in {@code Origin}. The gateway must answer such requests 421 on every
 * path, before CORS, and same-origin must never follow {@code Host}. Real Jetty, raw sockets (the tests
 * choose the {@code Host} line), and raw h2c frames for {@code :authority}.
 */
@Timeout(60)
class HostCheckTest {
    private static final JsonMapper JSON = Jackson.mapper();
    private static final String KEY = "a-key-of-sufficient-length";

    /** Every way the attacker's name may arrive. */
    private static final List<String> REBINDING_HOSTS = List.of(
            "rebind.attacker.example",
            "rebind.attacker.example:8080",
            "REBIND.Attacker.EXAMPLE",
            "rebind.attacker.example.",
            "[2001:db8::1]:8080",
            "localhost.", // not localhost: names are compared exactly
            "localhost.rebind.attacker.example",
            "127.0.0.1.nip.example",
            "128.0.0.1");

    private record Probe(String method, String path, Map<String, String> extra, String body) {}

    /** One request per kind of route: API (native, OpenAI, UI), ops, static files, WebSocket, preflight. */
    private static List<Probe> probes() {
        Map<String, String> json = Map.of("Content-Type", "application/json");
        return List.of(
                new Probe("POST", "/v1/chat/completions", json, RawExchange.OPENAI_ECHO),
                new Probe("POST", "/v1/stream", json, RawExchange.NATIVE_ECHO),
                new Probe("POST", "/v1/ui/chat", json, RawExchange.UI_ECHO),
                new Probe("GET", "/metrics", Map.of(), null),
                new Probe("GET", "/health", Map.of(), null),
                new Probe("GET", "/", Map.of(), null),
                new Probe("GET", "/v1/nothing", Map.of(), null),
                new Probe(
                        "GET",
                        "/v1/ws",
                        Map.of(
                                "Connection", "Upgrade",
                                "Upgrade", "websocket",
                                "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==",
                                "Sec-WebSocket-Version", "13"),
                        null),
                new Probe(
                        "OPTIONS",
                        "/v1/chat/completions",
                        Map.of(
                                "Access-Control-Request-Method",
                                "POST",
                                "Access-Control-Request-Headers",
                                "content-type"),
                        null));
    }

    private static RawExchange send(TestGateway g, Probe p, String host, String origin) throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        if (host != null) {
            headers.put("Host", host);
        }
        if (origin != null) {
            headers.put("Origin", origin);
        }
        headers.putAll(p.extra());
        return RawExchange.http11(g.port(), p.method(), p.path(), headers, p.body());
    }

    private static void assertMisdirected(RawExchange r, String host, String what) throws Exception {
        assertThat(r.status()).as(what).isEqualTo(421);
        assertThat(r.header("Access-Control-Allow-Origin")).as(what).isEmpty();
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertThat(error.get("code").stringValue()).as(what).isEqualTo("host_not_allowed");
        assertThat(error.get("message").stringValue())
                .as(what)
                .contains("'" + host + "'")
                .contains("localhost, 127.0.0.1");
    }

    @Test
    void withoutKeysARebindingHostIs421OnEveryPathWithAndWithoutOrigin() throws Exception {
        try (TestGateway g = TestGateway.start()) {
            for (String host : REBINDING_HOSTS) {
                for (String origin : new String[] {null, "http://" + host, "http://127.0.0.1:" + g.port()}) {
                    for (Probe p : probes()) {
                        String what = p.method() + " " + p.path() + " Host: " + host + " Origin: " + origin;
                        assertMisdirected(send(g, p, host, origin), host, what);
                    }
                }
            }
            assertThat(g.server.activeStreams()).isZero();
            // nothing was streamed: the simulated provider never started (no attempts counted)
            RawExchange metrics = send(g, new Probe("GET", "/metrics", Map.of(), null), "127.0.0.1:" + g.port(), null);
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.body().lines().filter(l -> l.startsWith("aistream_streams_started_total")))
                    .allMatch(l -> l.endsWith(" 0.0"));
        }
    }

    @Test
    void theRefusalIsInTheRoutesErrorShape() throws Exception {
        try (TestGateway g = TestGateway.start()) {
            RawExchange openAi = send(g, probes().get(0), "rebind.attacker.example", null);
            JsonNode e = JSON.readTree(openAi.body()).get("error");
            assertThat(e.get("type").stringValue()).isEqualTo("invalid_request_error");
            assertThat(e.get("code").stringValue()).isEqualTo("host_not_allowed");
            assertThat(e.has("param")).isTrue();

            RawExchange nativeShape = send(g, probes().get(1), "rebind.attacker.example", null);
            assertThat(nativeShape.body())
                    .startsWith("{\"error\":{\"code\":\"host_not_allowed\",\"message\":\"this gateway does not serve "
                            + "the host 'rebind.attacker.example'; it answers to localhost, 127.0.0.1 and [::1]");
            assertThat(nativeShape.header("Content-Type")).contains("application/json; charset=utf-8");
        }
    }

    @Test
    void loopbackHostsAreServedOnAnyPort() throws Exception {
        try (TestGateway g = TestGateway.start()) {
            Probe health = new Probe("GET", "/health", Map.of(), null);
            for (String host : List.of(
                    "127.0.0.1:" + g.port(),
                    "127.0.0.1",
                    "localhost",
                    "LOCALHOST:" + g.port(),
                    "localhost:1",
                    "127.0.0.2:80",
                    "[::1]:" + g.port(),
                    "[::1]",
                    "[0:0:0:0:0:0:0:1]")) {
                assertThat(send(g, health, host, null).status()).as(host).isEqualTo(200);
            }
            RawExchange stream = send(g, probes().get(1), "localhost:" + g.port(), null);
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.body()).contains("data: [DONE]");
            RawExchange openAi = send(g, probes().get(0), "[::1]:" + g.port(), null);
            assertThat(openAi.status()).isEqualTo(200);
            assertThat(openAi.body()).contains("chat.completion");
        }
    }

    @Test
    void http10WithoutHostIsJudgedByTheAddressItArrivedOn() throws Exception {
        // no browser sends a request without Host; Jetty fills in the local address (127.0.0.1 here)
        try (TestGateway g = TestGateway.start()) {
            RawExchange r = RawExchange.send(g.port(), "GET /health HTTP/1.0", Map.of(), null);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).contains("\"status\":\"ok\"");
        }
        // with an allow-list that does not hold the local address, it is refused like any unknown host
        try (TestGateway g = TestGateway.start(
                b -> b.host("127.0.0.1").apiKeys(List.of(KEY)).allowedHosts(List.of("gateway.example.com")))) {
            RawExchange r = RawExchange.send(g.port(), "GET /health HTTP/1.0", Map.of(), null);
            assertThat(r.status()).isEqualTo(200); // 127.0.0.1 is loopback: always served
        }
    }

    @Test
    void sameOriginNeverFollowsHost() throws Exception {
        Probe post = probes().get(1);
        try (TestGateway g = TestGateway.start(b -> b.apiKeys(List.of(KEY)))) {
            Map<String, String> auth = Map.of("Authorization", "Bearer " + KEY);
            Probe authed = new Probe(post.method(), post.path(), merge(post.extra(), auth), post.body());
            // with keys and no allow-list every host is served, but Origin == Host is not "same origin"
            RawExchange r = send(g, authed, "gateway.example.com", "http://gateway.example.com");
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.header("Access-Control-Allow-Origin")).isEmpty();
            assertThat(r.body()).contains("origin_not_allowed");
            // a loopback origin of another port (another local server) is not the gateway's own page
            RawExchange other = send(g, authed, "127.0.0.1:" + g.port(), "http://127.0.0.1:3000");
            assertThat(other.status()).isEqualTo(403);
            RawExchange opaque = send(g, authed, "127.0.0.1:" + g.port(), "null");
            assertThat(opaque.status()).isEqualTo(403);
            // the gateway's own demo page (a loopback origin of the port it listens on) is served
            for (String own : List.of(
                    "http://127.0.0.1:" + g.port(), "http://localhost:" + g.port(), "http://[::1]:" + g.port())) {
                RawExchange ok = send(g, authed, "rebind.attacker.example", own);
                assertThat(ok.status()).as(own).isEqualTo(200);
                assertThat(ok.header("Access-Control-Allow-Origin")).contains(own);
            }
            // an https loopback origin is not the gateway's (it speaks plain http)
            assertThat(send(g, authed, "127.0.0.1", "https://127.0.0.1:" + g.port())
                            .status())
                    .isEqualTo(403);
        }
    }

    @Test
    void withKeysAndAllowedHostsOnlyThoseAndLoopbackAreServed() throws Exception {
        try (TestGateway g = TestGateway.start(b -> b.apiKeys(List.of(KEY))
                .allowedHosts(List.of("Gateway.Example.com", "*.apps.example.com", "2001:db8::7")))) {
            Probe health = new Probe("GET", "/health", Map.of(), null);
            for (String host : List.of(
                    "gateway.example.com",
                    "GATEWAY.example.com:443",
                    "chat.apps.example.com",
                    "a.b.apps.example.com:8443",
                    "[2001:db8::7]:8080",
                    "localhost:" + g.port(),
                    "127.0.0.1")) {
                assertThat(send(g, health, host, null).status()).as(host).isEqualTo(200);
            }
            for (String host : List.of(
                    "rebind.attacker.example",
                    "apps.example.com",
                    "evilgateway.example.com",
                    "gateway.example.com.",
                    "gateway.example.com.rebind.attacker.example")) {
                RawExchange r = send(g, health, host, null);
                assertThat(r.status()).as(host).isEqualTo(421);
                assertThat(r.body())
                        .contains("'" + host + "'")
                        .contains("gateway.example.com, *.apps.example.com, [2001:db8::7]");
            }
            // an allowed host's origin is an allowed CORS origin, any scheme and port
            Probe post = probes().get(1);
            Probe authed = new Probe(
                    post.method(),
                    post.path(),
                    merge(post.extra(), Map.of("Authorization", "Bearer " + KEY)),
                    post.body());
            for (String origin : List.of("https://gateway.example.com", "http://chat.apps.example.com:8080")) {
                RawExchange ok = send(g, authed, "gateway.example.com", origin);
                assertThat(ok.status()).as(origin).isEqualTo(200);
                assertThat(ok.header("Access-Control-Allow-Origin")).contains(origin);
            }
            assertThat(send(g, authed, "gateway.example.com", "https://apps.example.com")
                            .status())
                    .isEqualTo(403);
        }
    }

    @Test
    void withKeysAndNoAllowListEveryHostIsServedAndTheKeysGuardTheApi() throws Exception {
        try (TestGateway g = TestGateway.start(b -> b.apiKeys(List.of(KEY)))) {
            assertThat(send(g, probes().get(4), "rebind.attacker.example", null).status())
                    .isEqualTo(200);
            assertThat(send(g, probes().get(1), "rebind.attacker.example", null).status())
                    .isEqualTo(401);
            assertThat(send(g, probes().get(3), "rebind.attacker.example", null).status())
                    .isEqualTo(401);
        }
    }

    @Test
    void http2AuthorityCountsAsHost() throws Exception {
        try (TestGateway g = TestGateway.start()) {
            String refused = H2cPriorKnowledge.get(g.port(), "rebind.attacker.example:" + g.port(), "/health");
            assertThat(refused).contains("\"code\":\"host_not_allowed\"").contains("'rebind.attacker.example:");
            String served = H2cPriorKnowledge.get(g.port(), "localhost:" + g.port(), "/health");
            assertThat(served).contains("\"status\":\"ok\"");
        }
    }

    private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
        Map<String, String> all = new LinkedHashMap<>(a);
        all.putAll(b);
        return all;
    }
}
