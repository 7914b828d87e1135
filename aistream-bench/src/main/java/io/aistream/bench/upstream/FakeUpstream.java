package io.aistream.bench.upstream;

import io.aistream.bench.http.Bytes;
import io.aistream.bench.http.Http1;
import io.aistream.bench.metrics.Histogram;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A fake model provider for load tests: a small HTTP/1.1 server, on raw sockets and virtual
 * threads, that streams paced, timestamped chunks.
 *
 * <p><b>Endpoints.</b>
 * <ul>
 *   <li>{@code POST /v1/chat/completions} with {@code "stream": true} — OpenAI Chat Completions
 *       streaming: a role chunk, N {@code chat.completion.chunk} content chunks at the set rate,
 *       a finish chunk, a usage chunk and {@code data: [DONE]}.</li>
 *   <li>{@code POST /v1/stream} — the same stream as aistream's native SSE (a stand-in for the
 *       gateway, so the load generator's native protocol can be checked without one);
 *       parameters in {@code providerOptions.aistream_bench}, chunk count also from
 *       {@code maxOutputTokens}.</li>
 *   <li>{@code POST /v1/ui/chat} — the same stream as the gateway's AI SDK UI message stream (the
 *       parameters as for {@code /v1/stream});</li>
 *   <li>{@code GET /v1/ws} — a WebSocket taking {@code {"type":"start","stream":"s1","request":{…}}}
 *       and {@code {"type":"abort","stream":"s1"}}, answering with native chunks tagged
 *       {@code "stream":"s1"}; several streams per socket.</li>
 *   <li>{@code GET /health}, {@code GET /stats} (counters and the upstream's own pacing lag),
 *       {@code GET /v1/models}.</li>
 *   <li>{@code GET /aborts?since=SEQ} — when the upstream saw tagged streams aborted (see
 *       {@link AbortLog}), for the load generator's abort latency.</li>
 * </ul>
 * Per-stream parameters: {@link StreamParams}; every content delta starts with a {@link Stamp}.
 *
 * <p><b>Threads and cost.</b> A platform thread accepts (a blocking {@link ServerSocketChannel}); a
 * virtual thread per connection reads and parses requests with blocking reads and answers the
 * small ones. A streamed HTTP response ({@code /v1/chat/completions}, {@code /v1/stream}) is sent
 * by a {@link Pacer}, an event loop (one per two cores) that owns a timer of every stream's next
 * due chunk and writes to non-blocking sockets: per chunk one non-blocking write and no thread
 * switch, on an absolute schedule so pacing does not drift; unpaced chunks go out in batches. The
 * connection's virtual thread waits meanwhile and, once the stream has ended cleanly, switches the
 * socket back to blocking mode and reads the next request (keep-alive; no idle limit). WebSocket
 * streams ({@code /v1/ws}) are still emitted by a virtual thread each that parks until each chunk
 * is due ({@link LockSupport#parkNanos}). Sockets use TCP_NODELAY; the accept backlog is
 * {@link Options#backlog()}.
 */
public final class FakeUpstream implements AutoCloseable {
    static final int MAX_BODY_BYTES = 1 << 20;

    private final Options options;
    private final ServerSocketChannel server;
    private final int port;
    private final Set<SocketChannel> sockets = ConcurrentHashMap.newKeySet();
    private final Pacer[] pacers;
    private final AtomicInteger nextPacer = new AtomicInteger();
    private final AtomicLong ids = new AtomicLong();
    private final Counters counters = new Counters();
    private volatile boolean closed;

    /**
     * Server settings.
     *
     * @param host     the address to bind ({@code 127.0.0.1} by default)
     * @param port     the port, 0 for any free one
     * @param defaults stream parameters when a request sets none
     * @param backlog  the accept queue length (the kernel caps it at {@code net.core.somaxconn})
     */
    public record Options(String host, int port, StreamParams defaults, int backlog) {
        public Options {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(defaults, "defaults");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be within 0..65535: " + port);
            }
        }

        public static Options standard() {
            return new Options("127.0.0.1", 0, StreamParams.DEFAULTS, 8192);
        }

        public Options withPort(int p) {
            return new Options(host, p, defaults, backlog);
        }

        public Options withHost(String h) {
            return new Options(h, port, defaults, backlog);
        }

        public Options withDefaults(StreamParams d) {
            return new Options(host, port, d, backlog);
        }
    }

    private FakeUpstream(Options options) throws IOException {
        this.options = options;
        server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(new InetSocketAddress(InetAddress.getByName(options.host()), options.port()), options.backlog());
        port = ((InetSocketAddress) server.getLocalAddress()).getPort();
        pacers = new Pacer[Math.max(1, Runtime.getRuntime().availableProcessors() / 2)];
        for (int i = 0; i < pacers.length; i++) {
            pacers[i] = new Pacer("fake-upstream-pacer-" + i);
        }
        Thread.ofPlatform().daemon().name("fake-upstream-accept").start(this::acceptLoop);
    }

    /** Starts a server; it runs until {@link #close()}. */
    public static FakeUpstream start(Options options) throws IOException {
        return new FakeUpstream(options);
    }

    /** Starts a server on a free port of 127.0.0.1 with default parameters. */
    public static FakeUpstream start() throws IOException {
        return start(Options.standard());
    }

    public int port() {
        return port;
    }

    /** {@code http://host:port} (the OpenAI base URL is this plus {@code /v1}). */
    public String baseUrl() {
        String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        if (host.equals("0.0.0.0") || host.equals("[::]")) {
            host = "127.0.0.1";
        }
        return "http://" + host + ":" + port();
    }

    public Options options() {
        return options;
    }

    /** Counters so far. */
    public Stats stats() {
        return counters.snapshot();
    }

    /** Stops accepting and closes every connection. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (SocketChannel s : sockets) {
            closeQuietly(s);
        }
        for (Pacer p : pacers) {
            p.close();
        }
    }

    /** Streams whose last write is waiting for the client to read (TCP backpressure). */
    int streamsBlocked() {
        int n = 0;
        for (Pacer p : pacers) {
            n += p.blockedStreams();
        }
        return n;
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            counters.connections.increment();
            sockets.add(s);
            Thread.ofVirtual().name("fake-upstream-conn").start(() -> serve(s));
        }
    }

    private void serve(SocketChannel ch) {
        counters.openConnections.incrementAndGet();
        try {
            Socket s = ch.socket();
            s.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(s.getInputStream(), 8192);
            OutputStream out = s.getOutputStream();
            while (!closed) {
                Http1.Head head = Http1.readHead(in);
                if (head == null) {
                    return;
                }
                String[] parts = head.startLine().split(" ");
                if (parts.length != 3) {
                    sendJson(out, 400, null, error("malformed request line"), true);
                    return;
                }
                String path = parts[1];
                String query = "";
                int q = path.indexOf('?');
                if (q >= 0) {
                    query = path.substring(q + 1);
                    path = path.substring(0, q);
                }
                boolean close = head.wantsClose();
                if (parts[0].equals("GET") && path.equals("/v1/ws")) {
                    new WebSocketSession(this, s, in, out).run(head);
                    return;
                }
                byte[] body = Http1.readAll(Http1.body(in, head, false), MAX_BODY_BYTES);
                boolean keep = switch (parts[0] + " " + path) {
                    case "POST /v1/chat/completions" -> chatCompletions(ch, out, body, close);
                    case "POST /v1/stream" -> nativeStream(ch, out, body, close, false);
                    case "POST /v1/ui/chat" -> nativeStream(ch, out, body, close, true);
                    case "GET /health" -> sendJson(out, 200, null, "{\"status\":\"ok\"}", close);
                    case "GET /stats" -> sendJson(out, 200, null, stats().toJson(), close);
                    case "GET /aborts" -> sendJson(out, 200, null, counters.aborts.toJson(since(query)), close);
                    case "GET /v1/models" ->
                        sendJson(
                                out,
                                200,
                                null,
                                "{\"object\":\"list\",\"data\":[{\"id\":\"m\",\"object\":\"model\",\"owned_by\":\"aistream-bench\"}]}",
                                close);
                    default -> sendJson(out, 404, null, error("no route for " + parts[0] + " " + path), close);
                };
                if (!keep) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away or sent garbage: nothing to report to anyone
        } finally {
            counters.openConnections.decrementAndGet();
            sockets.remove(ch);
            closeQuietly(ch);
        }
    }

    /** The {@code since} parameter of a query string (0 when absent or not a number). */
    static long since(String query) {
        for (String pair : query.split("&")) {
            if (pair.startsWith("since=")) {
                try {
                    return Long.parseLong(pair.substring(6));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    private boolean chatCompletions(SocketChannel s, OutputStream out, byte[] body, boolean close) throws IOException {
        JsonNode root = parse(body);
        if (root == null) {
            return sendJson(out, 400, null, error("the body must be a JSON object"), close);
        }
        if (!root.path("stream").asBoolean(false)) {
            return sendJson(out, 400, null, error("this fake upstream only streams: set \"stream\": true"), close);
        }
        StreamParams p;
        try {
            p = StreamParams.fromRequest(root, options.defaults());
        } catch (IllegalArgumentException e) {
            return sendJson(out, 400, null, error(e.getMessage()), close);
        }
        String model = root.path("model").isString() ? root.path("model").stringValue() : "m";
        return emitHttp(s, out, new WireFormat.OpenAi(ids.incrementAndGet(), model), p, close);
    }

    /** {@code /v1/stream} (native SSE), or with {@code ui} {@code /v1/ui/chat} (the UI message stream): same parameters. */
    private boolean nativeStream(SocketChannel s, OutputStream out, byte[] body, boolean close, boolean ui)
            throws IOException {
        JsonNode root = parse(body);
        if (root == null) {
            return sendJson(out, 400, null, nativeError("the body must be a JSON object"), close);
        }
        StreamParams p;
        try {
            p = nativeParams(root);
        } catch (IllegalArgumentException e) {
            return sendJson(out, 400, null, nativeError(e.getMessage()), close);
        }
        String model = root.path("model").isString() ? root.path("model").stringValue() : "m";
        WireFormat format = ui
                ? new WireFormat.Ui(ids.incrementAndGet())
                : new WireFormat.Native(ids.incrementAndGet(), model, null);
        return emitHttp(s, out, format, p, close);
    }

    /** Parameters of a native request: providerOptions.aistream_bench, maxOutputTokens, model suffix. */
    StreamParams nativeParams(JsonNode request) {
        ObjectNode view = WireFormat.JSON.createObjectNode();
        if (request.path("model").isString()) {
            view.put("model", request.path("model").stringValue());
        }
        if (request.path("maxOutputTokens").isNumber()) {
            view.put("max_tokens", request.path("maxOutputTokens").asInt());
        }
        JsonNode bench = request.path("providerOptions").path("aistream_bench");
        if (bench.isObject()) {
            view.set("aistream_bench", bench);
        }
        return StreamParams.fromRequest(view, options.defaults());
    }

    static JsonNode parse(byte[] body) {
        try {
            JsonNode root = WireFormat.JSON.readTree(body);
            return root != null && root.isObject() ? root : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    /** Answers a status fault, or streams the response on a pacer; returns whether the connection stays open. */
    private boolean emitHttp(SocketChannel ch, OutputStream out, WireFormat format, StreamParams p, boolean close)
            throws IOException {
        Fault fault = p.fault();
        if (fault.kind() == Fault.Kind.STATUS) {
            counters.statusFaults.increment();
            String retryAfter = fault.retryAfter() < 0 ? null : Integer.toString(fault.retryAfter());
            String type = fault.status() == 429 ? "rate_limit_error" : "server_error";
            return sendJson(
                    out,
                    fault.status(),
                    retryAfter,
                    "{\"error\":{\"message\":\"scripted fault " + fault + "\",\"type\":\"" + type + "\",\"code\":\""
                            + type + "\"}}",
                    close);
        }
        PacedStream stream = new PacedStream(ch, format, p, close, counters, System.nanoTime());
        stream.begin(out);
        pacers[Math.floorMod(nextPacer.getAndIncrement(), pacers.length)].submit(stream);
        if (stream.await() != PacedStream.Outcome.COMPLETED || close) {
            return false; // cut or aborted: the pacer has closed the socket
        }
        ch.configureBlocking(true); // the pacer has taken it off its selector
        return true;
    }

    /**
     * Sends one WebSocket stream on {@code ch} from the calling (virtual) thread, parking until each
     * chunk is due; returns whether the connection may be used again.
     *
     * @param cancelled polled at every chunk and while waiting (WebSocket aborts)
     */
    boolean emit(Channel ch, WireFormat format, StreamParams p, java.util.function.BooleanSupplier cancelled)
            throws IOException {
        counters.started.increment();
        counters.active.incrementAndGet();
        boolean finished = false;
        try {
            long t0 = System.nanoTime();
            Bytes b = new Bytes(256 + p.chunkSize());
            ch.prelude(b);
            int at = ch.begin(b);
            format.head(b);
            ch.end(b, at);
            ch.send(b);
            byte[] filler = WireFormat.filler(p.chunkSize());
            long interval = p.intervalNanos();
            long due = t0 + p.ttftMs() * 1_000_000L;
            boolean paced = interval > 0 || p.ttftMs() > 0;
            Fault fault = p.fault();
            for (int i = 0; i < p.chunks(); i++) {
                if (fault.kind() == Fault.Kind.CUT && i == fault.atChunk()) {
                    counters.cut.increment();
                    ch.cut();
                    return false;
                }
                if (fault.kind() == Fault.Kind.STALL && i == fault.atChunk()) {
                    counters.stalls.increment();
                    parkUntil(System.nanoTime() + fault.millis() * 1_000_000L, cancelled);
                    due = Math.max(due, System.nanoTime());
                }
                b.reset();
                at = ch.begin(b);
                format.contentPrefix(b, i);
                int stampAt = b.skip(Stamp.LENGTH);
                b.append(filler);
                format.contentSuffix(b);
                ch.end(b, at);
                if (paced) {
                    parkUntil(due, cancelled);
                }
                if (cancelled.getAsBoolean()) {
                    counters.aborted.increment();
                    counters.aborts.record(p.tag());
                    return true;
                }
                long now = System.nanoTime();
                if (paced) {
                    counters.lag.record(now - due);
                    due += interval;
                }
                Stamp.write(b.array(), stampAt, i, now);
                ch.send(b);
                counters.chunks.increment();
            }
            b.reset();
            at = ch.begin(b);
            format.tail(b, p.chunks());
            ch.end(b, at);
            ch.epilogue(b);
            ch.send(b);
            counters.completed.increment();
            finished = true;
            return !ch.closeAfter();
        } catch (IOException e) {
            counters.aborted.increment();
            counters.aborts.record(p.tag());
            throw e;
        } finally {
            counters.active.decrementAndGet();
            if (!finished && ch.closeAfter()) {
                ch.cut();
            }
        }
    }

    private static void parkUntil(long deadline, java.util.function.BooleanSupplier cancelled) {
        long remaining;
        while ((remaining = deadline - System.nanoTime()) > 0 && !cancelled.getAsBoolean()) {
            LockSupport.parkNanos(remaining);
        }
    }

    static String error(String message) {
        return "{\"error\":{\"message\":" + new String(WireFormat.jsonString(message), StandardCharsets.UTF_8)
                + ",\"type\":\"invalid_request_error\"}}";
    }

    private static String nativeError(String message) {
        return "{\"error\":{\"code\":\"invalid_request\",\"message\":"
                + new String(WireFormat.jsonString(message), StandardCharsets.UTF_8) + "}}";
    }

    /** Writes a small JSON response; returns whether the connection stays open. */
    static boolean sendJson(OutputStream out, int status, String retryAfter, String json, boolean close)
            throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        Bytes b = new Bytes(body.length + 200);
        b.ascii("HTTP/1.1 ")
                .decimal(status)
                .ascii(" ")
                .ascii(reason(status))
                .ascii("\r\n")
                .ascii("Content-Type: application/json\r\nContent-Length: ")
                .decimal(body.length)
                .ascii("\r\n");
        if (retryAfter != null) {
            b.ascii("Retry-After: ").ascii(retryAfter).ascii("\r\n");
        }
        if (close) {
            b.ascii("Connection: close\r\n");
        }
        b.ascii("\r\n").append(body);
        out.write(b.array(), 0, b.length());
        out.flush();
        return !close;
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    Counters counters() {
        return counters;
    }

    /** Where a WebSocket stream's messages go (HTTP streams are {@link PacedStream}s). */
    abstract static class Channel {
        /** Bytes before the first message (e.g. the response head). */
        void prelude(Bytes b) {}

        /** Starts a message; returns a mark for {@link #end}. */
        abstract int begin(Bytes b);

        /** Ends the message begun at {@code mark}. */
        abstract void end(Bytes b, int mark);

        /** Bytes after the last message (e.g. the last chunk). */
        void epilogue(Bytes b) {}

        abstract void send(Bytes b) throws IOException;

        /** Ends the transport abruptly (the cut fault). */
        abstract void cut();

        /** Whether the connection closes after this stream. */
        boolean closeAfter() {
            return false;
        }
    }

    static final class Counters {
        final LongAdder connections = new LongAdder();
        final AtomicInteger openConnections = new AtomicInteger();
        final LongAdder started = new LongAdder();
        final AtomicInteger active = new AtomicInteger();
        final LongAdder completed = new LongAdder();
        final LongAdder cut = new LongAdder();
        final LongAdder stalls = new LongAdder();
        final LongAdder aborted = new LongAdder();
        final LongAdder statusFaults = new LongAdder();
        final LongAdder chunks = new LongAdder();
        final Histogram lag = new Histogram();
        final AbortLog aborts = new AbortLog();

        Stats snapshot() {
            Histogram.Snapshot l = lag.snapshot();
            return new Stats(
                    connections.sum(),
                    openConnections.get(),
                    started.sum(),
                    active.get(),
                    completed.sum(),
                    cut.sum(),
                    stalls.sum(),
                    aborted.sum(),
                    statusFaults.sum(),
                    chunks.sum(),
                    l.percentile(50) / 1000,
                    l.percentile(99) / 1000,
                    l.max() / 1000);
        }
    }

    /**
     * Counters of a fake upstream.
     *
     * @param lagP50Micros how late the upstream itself sent paced chunks against their schedule
     *                     (its own overload shows here, not as relay latency)
     */
    public record Stats(
            long connections,
            int openConnections,
            long streamsStarted,
            int streamsActive,
            long streamsCompleted,
            long streamsCut,
            long stalls,
            long streamsAborted,
            long statusFaults,
            long chunksSent,
            long lagP50Micros,
            long lagP99Micros,
            long lagMaxMicros) {
        public String toJson() {
            return "{\"connections\":" + connections + ",\"openConnections\":" + openConnections
                    + ",\"streamsStarted\":" + streamsStarted + ",\"streamsActive\":" + streamsActive
                    + ",\"streamsCompleted\":" + streamsCompleted + ",\"streamsCut\":" + streamsCut
                    + ",\"stalls\":" + stalls + ",\"streamsAborted\":" + streamsAborted
                    + ",\"statusFaults\":" + statusFaults + ",\"chunksSent\":" + chunksSent
                    + ",\"lagP50Micros\":" + lagP50Micros + ",\"lagP99Micros\":" + lagP99Micros
                    + ",\"lagMaxMicros\":" + lagMaxMicros + "}";
        }
    }
}
