package io.aistream.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLSocket;

/**
 * One connection a {@link FakeUpstream} accepted: the requests read on it, what happened to it, and
 * the events a test waits on.
 *
 * <p>Events are {@link CompletableFuture}s; those that carry a time carry the {@link System#nanoTime()}
 * at which the server saw the event, so a test can wait for the event (with a guard timeout) and then
 * compare it with its own {@code nanoTime()} instead of sleeping through a window.
 *
 * <p>Threading: a reader thread reads requests for as long as the connection lives (that is how it
 * sees the client close the connection at any moment, even while a reply is being written); a
 * responder thread runs one script per request. All methods are thread-safe.
 */
public final class UpstreamConnection {
    private static final Duration STALL_BACKSTOP = Duration.ofMinutes(5);

    private final Socket socket;
    private final FakeUpstream upstream;
    private final long acceptedAt = System.nanoTime();
    private final Arrivals<RecordedRequest> requests = new Arrivals<>("request");
    private final LinkedBlockingQueue<Optional<RecordedRequest>> unanswered = new LinkedBlockingQueue<>();
    private final CompletableFuture<Long> closedByClient = new CompletableFuture<>();
    private final CompletableFuture<Void> closedByServer = new CompletableFuture<>();
    private final CompletableFuture<Void> stalled = new CompletableFuture<>();
    private final CompletableFuture<Void> release = new CompletableFuture<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final AtomicBoolean serverClosing = new AtomicBoolean();
    private volatile String applicationProtocol;
    private volatile List<String> serverNames = List.of();

    UpstreamConnection(Socket socket, FakeUpstream upstream) {
        this.socket = socket;
        this.upstream = upstream;
    }

    /** When the connection was accepted ({@link System#nanoTime()}). */
    public long acceptedAt() {
        return acceptedAt;
    }

    /** The requests read on this connection so far, in order. */
    public List<RecordedRequest> requests() {
        return requests.snapshot();
    }

    /** The first request on this connection, waiting for it up to the guard timeout. */
    public RecordedRequest request() {
        return awaitRequest(0);
    }

    /**
     * The {@code index}-th request (from 0) on this connection, waiting for it up to the guard timeout.
     *
     * @throws AssertionError if it does not arrive in time
     */
    public RecordedRequest awaitRequest(int index) {
        return requests.await(index, upstream.guard());
    }

    /**
     * Completes with the {@link System#nanoTime()} at which the client was seen closing (or
     * resetting) the connection, if it did so before the server closed it; never completes otherwise.
     */
    public CompletableFuture<Long> closedByClient() {
        return closedByClient;
    }

    /**
     * Waits (up to the guard timeout) until the client has closed the connection.
     *
     * @return the {@link System#nanoTime()} at which the close was seen
     * @throws AssertionError if the client does not close it in time, or the server closed it first
     */
    public long awaitClosedByClient() {
        try {
            CompletableFuture.anyOf(closedByClient, ended).get(upstream.guard().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(
                    "the client did not close the connection within "
                            + upstream.guard().toMillis() + " ms",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
        if (!closedByClient.isDone()) {
            throw new AssertionError("the server closed the connection before the client did");
        }
        return closedByClient.join();
    }

    /** Completes when a script on this connection reaches a {@link Script#stall()} step. */
    public CompletableFuture<Void> stalled() {
        return stalled;
    }

    /** Lets a stalled script go on; a later stall on this connection then passes straight through. */
    public void release() {
        release.complete(null);
    }

    /** Completes when the server is done with the connection, whoever closed it. */
    public CompletableFuture<Void> ended() {
        return ended;
    }

    /** The ALPN protocol agreed on (TLS only). */
    public Optional<String> applicationProtocol() {
        return Optional.ofNullable(applicationProtocol).filter(p -> !p.isEmpty());
    }

    /** The SNI host names the client sent (TLS only; empty when it sent none, e.g. for an IP address). */
    public List<String> serverNames() {
        return serverNames;
    }

    /** Closes the connection from the server's side now (as a server does with an idle connection). */
    public void closeFromServer() {
        closeByServer(false);
    }

    // ---- the server's side ----

    /** Runs the connection on the calling thread until it ends. */
    void serve() {
        try {
            if (socket instanceof SSLSocket ssl) {
                handshake(ssl);
            }
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            Thread.ofVirtual().name("fake-upstream-read").start(() -> readRequests(in));
            respond(socket.getOutputStream());
        } catch (IOException e) {
            // the client went away (the reader reports that), a script's wait ran out, or the test is over
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeByServer(false);
            ended.complete(null);
        }
    }

    private void handshake(SSLSocket ssl) throws IOException {
        try {
            ssl.startHandshake();
        } catch (IOException e) {
            clientClosed(); // a client that does not trust the certificate aborts the handshake
            throw e;
        }
        applicationProtocol = ssl.getApplicationProtocol();
        if (ssl.getSession() instanceof ExtendedSSLSession session) {
            serverNames = session.getRequestedServerNames().stream()
                    .map(n -> n instanceof SNIHostName h ? h.getAsciiName() : n.toString())
                    .toList();
        }
    }

    private void readRequests(InputStream in) {
        try {
            for (RecordedRequest r = Http1.readRequest(in); r != null; r = Http1.readRequest(in)) {
                requests.add(r);
                upstream.recorded(r);
                unanswered.add(Optional.of(r));
            }
        } catch (IOException e) {
            // reset by the client, malformed, or closed by the server
        }
        clientClosed();
        unanswered.add(Optional.empty());
    }

    private void respond(OutputStream out) throws IOException, InterruptedException {
        while (true) {
            Optional<RecordedRequest> request = unanswered.take();
            if (request.isEmpty()) {
                return;
            }
            Script script = upstream.nextScript();
            if (!run(script, out)) {
                return;
            }
        }
    }

    /** Runs one script; true if the connection stays open for another request. */
    private boolean run(Script script, OutputStream out) throws IOException, InterruptedException {
        boolean headSent = false;
        boolean chunked = script.hasBody() && script.framingValue() == Script.Framing.CHUNKED;
        for (Script.Step step : script.steps()) {
            if (closedByClient.isDone()) {
                return false;
            }
            switch (step) {
                case Script.Step.Head h -> headSent = writeHead(script, out, headSent);
                case Script.Step.Write w -> {
                    headSent = writeHead(script, out, headSent);
                    write(out, w.bytes(), chunked && !w.raw());
                }
                case Script.Step.WriteLater w -> {
                    byte[] bytes = awaitGate(w.bytes().toCompletableFuture(), "sendLater");
                    headSent = writeHead(script, out, headSent);
                    write(out, bytes, chunked && !w.raw());
                }
                case Script.Step.Await a ->
                    awaitGate(a.gate().toCompletableFuture().exceptionally(t -> null), "await");
                case Script.Step.AwaitLatch a -> {
                    if (!Script.await(a.latch(), upstream.guard())) {
                        throw new IOException("the script's latch was not counted down within the guard timeout");
                    }
                }
                case Script.Step.Pause p -> Thread.sleep(p.duration());
                case Script.Step.Stall s -> {
                    stalled.complete(null);
                    waitFor(CompletableFuture.anyOf(release, closedByClient, closedByServer), STALL_BACKSTOP);
                }
                case Script.Step.Cut c -> {
                    closeByServer(c.reset());
                    return false;
                }
            }
        }
        writeHead(script, out, headSent);
        if (script.afterValue() == Script.After.HOLD) {
            waitFor(CompletableFuture.anyOf(closedByClient, closedByServer), STALL_BACKSTOP);
            return false;
        }
        if (chunked) {
            out.write(Http1.LAST_CHUNK);
            out.flush();
        }
        if (script.afterValue() == Script.After.CLOSE) {
            closeByServer(false);
            return false;
        }
        return true;
    }

    private boolean writeHead(Script script, OutputStream out, boolean headSent) throws IOException {
        if (!headSent && !script.isRaw()) {
            out.write(script.head());
            out.flush();
        }
        return true;
    }

    private static void write(OutputStream out, byte[] bytes, boolean asChunk) throws IOException {
        if (asChunk && bytes.length == 0) {
            return; // an empty chunk would end the body
        }
        out.write(asChunk ? Http1.chunk(bytes) : bytes);
        out.flush();
    }

    private <T> T awaitGate(CompletableFuture<T> gate, String what) throws IOException, InterruptedException {
        try {
            return gate.get(upstream.guard().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new IOException("the script's " + what + " was not completed within the guard timeout", e);
        } catch (ExecutionException e) {
            throw new IOException("the script's " + what + " failed", e.getCause());
        }
    }

    private static void waitFor(CompletableFuture<?> any, Duration limit) throws IOException, InterruptedException {
        try {
            any.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new IOException(e);
        }
    }

    private void clientClosed() {
        long now = System.nanoTime();
        if (!serverClosing.get()) {
            closedByClient.complete(now);
        }
    }

    void closeByServer(boolean reset) {
        serverClosing.set(true);
        try {
            if (reset) {
                socket.setSoLinger(true, 0);
            }
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
        closedByServer.complete(null);
    }
}
