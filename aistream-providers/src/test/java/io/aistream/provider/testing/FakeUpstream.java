package io.aistream.provider.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A scripted HTTP/1.1 upstream on 127.0.0.1 for transport tests, over raw sockets (no dependencies).
 *
 * <p>Each accepted connection reads one request and answers it with the next {@link Script} from
 * the queue ({@link #enqueue}); with no script left it answers 500. Every response carries
 * {@code Connection: close}, so each request has a connection of its own and, once the request is
 * read, a watcher thread can block reading the socket to see the client close it
 * ({@link Connection#closedByClient()}, with the {@link System#nanoTime()} it was observed).
 *
 * <p>Threading: a virtual thread accepts, one runs each connection's script, one watches each
 * connection. All accessors are thread-safe.
 */
public final class FakeUpstream implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ServerSocket server;
    private final BlockingQueue<Script> scripts = new LinkedBlockingQueue<>();
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<Connection> arrivals = new LinkedBlockingQueue<>();
    private final Thread acceptor;
    private volatile boolean closed;

    private FakeUpstream() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        acceptor = Thread.ofVirtual().name("fake-upstream-accept").start(this::acceptLoop);
    }

    /** Starts a server on an ephemeral port of 127.0.0.1. */
    public static FakeUpstream start() {
        try {
            return new FakeUpstream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:port}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Queues the answer for the next request; scripts are used in order, one per request. */
    public FakeUpstream enqueue(Script script) {
        scripts.add(script);
        return this;
    }

    /** The connections accepted so far, in order. */
    public List<Connection> connections() {
        return List.copyOf(connections);
    }

    /** The requests received so far, in order. */
    public List<RecordedRequest> requests() {
        List<RecordedRequest> out = new ArrayList<>();
        for (Connection c : connections) {
            c.request.getNow(Optional.empty()).ifPresent(out::add);
        }
        return out;
    }

    /**
     * Waits (up to 10 s) until the {@code index}-th connection (from 0) has sent its request.
     *
     * @throws AssertionError if it does not arrive in time
     */
    public Connection awaitConnection(int index) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        try {
            while (connections.size() <= index) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || arrivals.poll(left, TimeUnit.NANOSECONDS) == null && connections.size() <= index) {
                    throw new AssertionError("connection " + index + " did not arrive; got " + connections.size());
                }
            }
            Connection c = connections.get(index);
            c.request.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (Exception e) {
            throw new AssertionError("connection " + index + " sent no request", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        acceptor.interrupt();
        for (Connection c : connections) {
            c.release();
            c.closeByServer(false);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return;
            }
            Connection c = new Connection(socket);
            connections.add(c);
            arrivals.add(c);
            Thread.ofVirtual().name("fake-upstream-conn").start(c::serve);
        }
    }

    /** One request received by the fake. */
    public record RecordedRequest(String method, String target, Map<String, List<String>> headers, byte[] body) {
        /** The first value of a header (name case-insensitive). */
        public Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
        }

        /** The body as UTF-8 text. */
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** One accepted connection: its request, and what happened to it. */
    public final class Connection {
        private final Socket socket;
        private final CompletableFuture<Optional<RecordedRequest>> request = new CompletableFuture<>();
        private final CompletableFuture<Long> closedByClient = new CompletableFuture<>();
        private final CompletableFuture<Void> stalled = new CompletableFuture<>();
        private final CompletableFuture<Void> release = new CompletableFuture<>();
        private final CompletableFuture<Void> finished = new CompletableFuture<>();
        private final AtomicBoolean serverClosing = new AtomicBoolean();
        private final long acceptedAt = System.nanoTime();

        private Connection(Socket socket) {
            this.socket = socket;
        }

        /** The request, once read. */
        public RecordedRequest request() {
            try {
                return request.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)
                        .orElseThrow(() -> new AssertionError("the connection sent no complete request"));
            } catch (Exception e) {
                throw new AssertionError("no request on this connection", e);
            }
        }

        /**
         * Completes with the {@link System#nanoTime()} at which the client was seen closing the
         * connection (before the server closed it itself); never completes otherwise.
         */
        public CompletableFuture<Long> closedByClient() {
            return closedByClient;
        }

        /** Completes when the script reaches a {@link Script#stall()} step. */
        public CompletableFuture<Void> stalled() {
            return stalled;
        }

        /** Completes when the script has run to its end (or stopped because the client left). */
        public CompletableFuture<Void> finished() {
            return finished;
        }

        /** Lets a stalled script go on. */
        public void release() {
            release.complete(null);
        }

        /** When the connection was accepted ({@link System#nanoTime()}). */
        public long acceptedAt() {
            return acceptedAt;
        }

        private void serve() {
            try {
                BufferedInputStream in = new BufferedInputStream(socket.getInputStream());
                RecordedRequest r = readRequest(in);
                if (r == null) {
                    request.complete(Optional.empty());
                    closeByServer(false);
                    return;
                }
                request.complete(Optional.of(r));
                Thread.ofVirtual().name("fake-upstream-watch").start(() -> watch(in));
                Script script = scripts.poll();
                if (script == null) {
                    script = Script.status(500).header("content-type", "application/json")
                            .send("{\"error\":{\"type\":\"no_script\",\"message\":\"the fake upstream has no script\"}}");
                }
                socket.setTcpNoDelay(true);
                run(script, socket.getOutputStream());
            } catch (IOException | InterruptedException e) {
                // the client went away, or the test is over
                request.complete(Optional.empty());
                closeByServer(false);
            } finally {
                finished.complete(null);
            }
        }

        private void watch(InputStream in) {
            try {
                while (in.read() >= 0) {
                    // a well-behaved client sends nothing more; keep reading until it closes
                }
            } catch (IOException ignored) {
                // reset by the client, or closed by us
            }
            long now = System.nanoTime();
            if (!serverClosing.get()) {
                closedByClient.complete(now);
            }
        }

        private void run(Script script, OutputStream out) throws IOException, InterruptedException {
            boolean headSent = false;
            for (Step step : script.steps) {
                if (closedByClient.isDone()) {
                    closeByServer(false);
                    return;
                }
                switch (step) {
                    case Step.Write w -> {
                        if (!headSent) {
                            writeHead(script, out);
                            headSent = true;
                        }
                        out.write(script.framing == Framing.CHUNKED ? chunk(w.bytes()) : w.bytes());
                        out.flush();
                    }
                    case Step.Pause p -> Thread.sleep(p.duration());
                    case Step.Await a -> {
                        if (!a.latch().await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                            throw new IOException("script latch not released");
                        }
                    }
                    case Step.Stall s -> {
                        stalled.complete(null);
                        try {
                            CompletableFuture.anyOf(release, closedByClient).get(5, TimeUnit.MINUTES);
                        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
                            throw new IOException(e);
                        }
                    }
                    case Step.Cut c -> {
                        closeByServer(c.reset());
                        return;
                    }
                }
            }
            if (!headSent) {
                writeHead(script, out);
            }
            if (script.framing == Framing.CHUNKED) {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            closeByServer(false);
        }

        private static void writeHead(Script script, OutputStream out) throws IOException {
            out.write(script.head().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        private void closeByServer(boolean reset) {
            serverClosing.set(true);
            try {
                if (reset) {
                    socket.setSoLinger(true, 0);
                }
                socket.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }

    private static byte[] chunk(byte[] data) {
        byte[] head = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + data.length + 2];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(data, 0, out, head.length, data.length);
        out[out.length - 2] = '\r';
        out[out.length - 1] = '\n';
        return out;
    }

    /** Reads one request (head + Content-Length body); null if the client sent none. Shared with other raw test servers. */
    public static RecordedRequest readRequest(InputStream in) throws IOException {
        String requestLine = readLine(in);
        if (requestLine == null || requestLine.isEmpty()) {
            return null;
        }
        String[] parts = requestLine.split(" ", 3);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).trim());
            }
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", List.of("0")).getFirst());
        byte[] body = in.readNBytes(length);
        headers.replaceAll((k, v) -> List.copyOf(v));
        return new RecordedRequest(parts[0], parts.length > 1 ? parts[1] : "", Collections.unmodifiableMap(headers), body);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
            if (line.size() > 64 * 1024) {
                throw new IOException("request line too long");
            }
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    /** How the response body is delimited. */
    public enum Framing {
        /** {@code Transfer-Encoding: chunked}; every write is one HTTP chunk. */
        CHUNKED,
        /** {@code Content-Length} of all written bytes; a cut before the end is a short body. */
        CONTENT_LENGTH,
        /** Neither: the body ends when the server closes the connection. */
        CLOSE_DELIMITED
    }

    /** One step of a response script. */
    sealed interface Step {
        record Write(byte[] bytes) implements Step {
        }

        record Pause(Duration duration) implements Step {
        }

        record Await(CountDownLatch latch) implements Step {
        }

        record Stall() implements Step {
        }

        record Cut(boolean reset) implements Step {
        }
    }

    /**
     * What to answer one request with: status, headers, then body steps in order. The response
     * head goes out with the first write (or at the end), so steps before it — a stall, a cut —
     * happen before the client has any response. Built fluently; not thread-safe until enqueued.
     */
    public static final class Script {
        private final int status;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final List<Step> steps = new ArrayList<>();
        private Framing framing = Framing.CHUNKED;

        private Script(int status) {
            this.status = status;
        }

        /** A response with this status and no headers yet. */
        public static Script status(int status) {
            return new Script(status);
        }

        /** 200 with {@code Content-Type: text/event-stream}. */
        public static Script sse() {
            return status(200).header("content-type", "text/event-stream");
        }

        /** Adds (or replaces) a response header. */
        public Script header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /** How the body is delimited (default chunked). */
        public Script framing(Framing value) {
            this.framing = value;
            return this;
        }

        /** Writes {@code text} (UTF-8) in one write. */
        public Script send(String text) {
            return send(text.getBytes(StandardCharsets.UTF_8));
        }

        /** Writes {@code bytes} in one write. */
        public Script send(byte[] bytes) {
            steps.add(new Step.Write(bytes.clone()));
            return this;
        }

        /** Writes {@code text} (UTF-8) one byte per write. */
        public Script sendBytewise(String text) {
            for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
                steps.add(new Step.Write(new byte[] {b}));
            }
            return this;
        }

        /** Writes {@code text} (UTF-8) in pieces split at the given byte offsets (ascending). */
        public Script sendSplit(String text, int... offsets) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            int from = 0;
            for (int at : offsets) {
                if (at > from && at < bytes.length) {
                    steps.add(new Step.Write(java.util.Arrays.copyOfRange(bytes, from, at)));
                    from = at;
                }
            }
            steps.add(new Step.Write(java.util.Arrays.copyOfRange(bytes, from, bytes.length)));
            return this;
        }

        /** Writes {@code text} (UTF-8) in pieces of random sizes (1..maxPiece bytes) drawn from {@code seed}. */
        public Script sendRandomlySplit(String text, long seed, int maxPiece) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
            for (int from = 0; from < bytes.length; ) {
                int len = Math.min(bytes.length - from, 1 + random.nextInt(maxPiece));
                steps.add(new Step.Write(java.util.Arrays.copyOfRange(bytes, from, from + len)));
                from += len;
            }
            return this;
        }

        /** Writes {@code text} (UTF-8) {@code bytesPerStep} bytes at a time, pausing {@code interval} after each. */
        public Script throttle(String text, int bytesPerStep, Duration interval) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            for (int from = 0; from < bytes.length; from += bytesPerStep) {
                steps.add(new Step.Write(java.util.Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + bytesPerStep))));
                steps.add(new Step.Pause(interval));
            }
            return this;
        }

        /** Waits until the test counts {@code latch} down (at most 10 s). */
        public Script await(CountDownLatch latch) {
            steps.add(new Step.Await(latch));
            return this;
        }

        /** Holds the response until {@link Connection#release()} or until the client disconnects. */
        public Script stall() {
            steps.add(new Step.Stall());
            return this;
        }

        /** Closes the connection here (FIN), without finishing the body. */
        public Script cut() {
            steps.add(new Step.Cut(false));
            return this;
        }

        /** Resets the connection here (RST), without finishing the body. */
        public Script reset() {
            steps.add(new Step.Cut(true));
            return this;
        }

        private String head() {
            StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
            headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
            switch (framing) {
                case CHUNKED -> sb.append("Transfer-Encoding: chunked\r\n");
                case CONTENT_LENGTH -> sb.append("Content-Length: ").append(contentLength()).append("\r\n");
                case CLOSE_DELIMITED -> { }
            }
            return sb.append("Connection: close\r\n\r\n").toString();
        }

        private long contentLength() {
            long n = 0;
            for (Step s : steps) {
                if (s instanceof Step.Write w) {
                    n += w.bytes().length;
                }
            }
            return n;
        }

        private static String reason(int status) {
            return switch (status) {
                case 200 -> "OK";
                case 400 -> "Bad Request";
                case 401 -> "Unauthorized";
                case 429 -> "Too Many Requests";
                case 500 -> "Internal Server Error";
                case 503 -> "Service Unavailable";
                default -> "Status";
            };
        }
    }
}
