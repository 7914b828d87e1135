package io.aistream.testing;

import io.aistream.json.Jackson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A {@code java.net.http} WebSocket client of {@code /v1/ws} that collects the server's messages as JSON. */
public final class WsClient implements WebSocket.Listener, AutoCloseable {
    /** The mapper the client reads and writes messages with. */
    public static final JsonMapper JSON = Jackson.mapper();

    /** How the server closed the socket. */
    public record Close(int code, String reason) {}

    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Close> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket ws;

    private WsClient() {}

    public static WsClient connect(int port) throws WebSocketHandshakeException {
        return connect(port, "/v1/ws", "", Map.of());
    }

    /** Connects to {@code /v1/ws} with a query (starting with {@code ?}, or empty) and extra headers. */
    public static WsClient connect(int port, String query, Map<String, String> headers)
            throws WebSocketHandshakeException {
        return connect(port, "/v1/ws", query, headers);
    }

    /**
     * Opens a socket; {@code query} is appended to the path; a header named
     * {@code Sec-WebSocket-Protocol} becomes the offered sub-protocols (comma-separated).
     *
     * @throws WebSocketHandshakeException if the server refused the upgrade
     */
    public static WsClient connect(int port, String path, String query, Map<String, String> headers)
            throws WebSocketHandshakeException {
        WsClient client = new WsClient();
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        headers.forEach((name, value) -> {
            if (name.equalsIgnoreCase("Sec-WebSocket-Protocol")) {
                String[] protocols = value.split(",\\s*");
                b.subprotocols(protocols[0], java.util.Arrays.copyOfRange(protocols, 1, protocols.length));
            } else {
                b.header(name, value);
            }
        });
        try {
            client.ws = b.buildAsync(URI.create("ws://127.0.0.1:" + port + path + query), client)
                    .join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                throw h;
            }
            throw e;
        }
        return client;
    }

    public WebSocket socket() {
        return ws;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            messages.add(JSON.readTree(partial.toString()));
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(new Close(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    /** Sends one text message (waits until it is handed to the socket). */
    public void send(String json) {
        ws.sendText(json, true).join();
    }

    /** Sends one piece of a text message ({@code last} ends it); waits until it is handed to the socket. */
    public void sendPiece(String text, boolean last) {
        ws.sendText(text, last).join();
    }

    public void sendBinary(byte[] bytes) {
        ws.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    public void start(String stream, String request) {
        send("{\"type\":\"start\",\"stream\":\"" + stream + "\",\"request\":" + request + "}");
    }

    /** The next message from the server (waits up to the guard timeout, 10 s, then fails). */
    public JsonNode next() throws InterruptedException {
        JsonNode m = messages.poll(10, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("no message from the server within 10 s");
        }
        return m;
    }

    /** Messages until (and including) the first that matches. */
    public List<JsonNode> until(Predicate<JsonNode> last) throws InterruptedException {
        List<JsonNode> got = new ArrayList<>();
        for (; ; ) {
            JsonNode m = next();
            got.add(m);
            if (last.test(m)) {
                return got;
            }
        }
    }

    /** Messages until the {@code done} chunk of {@code stream}, collecting every stream's. */
    public List<JsonNode> untilDone(String stream) throws InterruptedException {
        return until(m -> isDone(m, stream));
    }

    public static boolean isDone(JsonNode m, String stream) {
        return "done".equals(m.path("type").asString(""))
                && stream.equals(m.path("stream").asString(""));
    }

    /** Messages queued now, without waiting. */
    public List<JsonNode> drain() {
        List<JsonNode> got = new ArrayList<>();
        messages.drainTo(got);
        return got;
    }

    /** How the server closed the socket (waits up to the guard timeout, 10 s, then fails). */
    public Close awaitClose() throws Exception {
        return closed.get(10, TimeUnit.SECONDS);
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /** Closes the socket abruptly (no close frame). */
    public void abort() {
        ws.abort();
    }

    @Override
    public void close() {
        if (!ws.isOutputClosed()) {
            try {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                ws.abort();
            }
        }
        ws.abort();
    }
}
