package io.aistream.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What a {@link FakeUpstream} answers one request with: a status line and headers, then body steps in
 * order, then what happens to the connection ({@link After}).
 *
 * <p><b>The head</b> is generated from {@link #status}, the {@link #header headers} and the
 * {@link Framing}: {@code Transfer-Encoding: chunked} (the default), {@code Content-Length} (the sum of
 * the written bytes, or {@link #declaredLength}), or neither (the body ends when the server closes).
 * {@code Connection: close} is added unless the script {@link #keepAlive() keeps the connection}. The
 * head goes out with the first write (or with {@link #sendHead()}, or at the end), so a stall or a cut
 * placed before any write happens before the client has any response. A {@link #raw()} script has no
 * generated head: the test writes every byte, for interim responses, odd status lines and the like.
 *
 * <p><b>Body steps</b>: {@link #send} writes one piece (in chunked framing, one HTTP chunk per piece);
 * {@link #sendRaw} writes bytes as they are, around the framing, for malformed framing;
 * {@link #sendLater} writes what a future the test completes gives; {@link #await} waits for the
 * test's signal; {@link #stall()} waits for {@link UpstreamConnection#release()} or the client's
 * close; {@link #cut()} and {@link #reset()} end the connection mid-body. Waits on the test's signals
 * are bounded by the upstream's guard timeout ({@link FakeUpstream.Builder#guard}); past it the
 * connection is closed, so a forgotten signal fails the test instead of hanging it. Only
 * {@link #pause} and {@link #throttle} wait on the clock: they are for tests that measure real
 * pacing, and nothing else should need them.
 *
 * <p>Built fluently; not thread-safe until {@linkplain FakeUpstream#enqueue enqueued}, read-only
 * after. A script with {@code sendLater}, {@code await} or {@code stall} steps is meant for one
 * request: the futures it waits on complete once.
 */
public final class Script {
    /** How the response body is delimited. */
    public enum Framing {
        /** {@code Transfer-Encoding: chunked}; every {@link #send} is one HTTP chunk, the last chunk is sent at the end. */
        CHUNKED,
        /** {@code Content-Length} of all written bytes (or {@link #declaredLength}); a cut before the end is a short body. */
        CONTENT_LENGTH,
        /** Neither: the body ends when the server closes the connection (so the connection cannot be kept). */
        CLOSE_DELIMITED
    }

    /** What the connection does once the script has run. */
    public enum After {
        /** Finish the body and close the connection (the default; the head says {@code Connection: close}). */
        CLOSE,
        /** Finish the body and read the next request on the same connection. */
        KEEP_ALIVE,
        /**
         * Send nothing more — not even the end of a chunked body — and wait until the client closes
         * the connection (or the upstream is closed).
         */
        HOLD
    }

    /** One step of a script. */
    sealed interface Step {
        /** The head, if not sent yet. */
        record Head() implements Step {}

        /** Bytes to write: framed (a chunk in chunked framing) or raw (as they are). */
        record Write(byte[] bytes, boolean raw) implements Step {}

        /** Bytes to write once the test completes {@code bytes}. */
        record WriteLater(CompletionStage<byte[]> bytes, boolean raw) implements Step {}

        /** Waits until {@code gate} completes. */
        record Await(CompletionStage<?> gate) implements Step {}

        /** Waits until the latch is counted down. */
        record AwaitLatch(CountDownLatch latch) implements Step {}

        /** Waits on the clock. */
        record Pause(Duration duration) implements Step {}

        /** Waits for {@link UpstreamConnection#release()} or the client's close. */
        record Stall() implements Step {}

        /** Ends the connection here: FIN, or RST when {@code reset}. */
        record Cut(boolean reset) implements Step {}
    }

    /**
     * The head {@link #sse()} generates with {@link #keepAlive()}, for {@link #raw()} scripts that
     * write their chunked body by hand: {@code 200}, {@code Content-Type: text/event-stream},
     * {@code Transfer-Encoding: chunked}.
     */
    public static final String CHUNKED_SSE_HEAD =
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";

    private final int status;
    private final boolean raw;
    private final List<String[]> headers = new ArrayList<>();
    private final List<Step> steps = new ArrayList<>();
    private Framing framing = Framing.CHUNKED;
    private After after = After.CLOSE;
    private OptionalLong declaredLength = OptionalLong.empty();

    private Script(int status, boolean raw) {
        this.status = status;
        this.raw = raw;
    }

    /** A response with this status, no headers yet, chunked framing. */
    public static Script status(int status) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status " + status);
        }
        return new Script(status, false);
    }

    /** 200 with {@code Content-Type: text/event-stream}, chunked. */
    public static Script sse() {
        return status(200).header("Content-Type", "text/event-stream");
    }

    /** {@code status} with {@code Content-Type: application/json} and {@code body}, by {@code Content-Length}. */
    public static Script json(int status, String body) {
        return status(status)
                .header("Content-Type", "application/json")
                .framing(Framing.CONTENT_LENGTH)
                .send(body);
    }

    /**
     * A script without a generated head: every byte the client gets is written by {@link #sendRaw},
     * {@link #sendRawLater} (or {@link #send}, which is the same here). Closes the connection at the
     * end unless told otherwise ({@link #keepAlive()}, {@link #hold()}).
     */
    public static Script raw() {
        return new Script(0, true);
    }

    /** Sets a response header, replacing any of the same name (case-insensitive). */
    public Script header(String name, String value) {
        requireHead();
        headers.removeIf(h -> h[0].equalsIgnoreCase(name));
        return addHeader(name, value);
    }

    /** Adds a response header, keeping any of the same name (for repeated headers). */
    public Script addHeader(String name, String value) {
        requireHead();
        headers.add(new String[] {name, value});
        return this;
    }

    /** How the body is delimited (default chunked). */
    public Script framing(Framing value) {
        requireHead();
        this.framing = value;
        return this;
    }

    /**
     * The {@code Content-Length} to announce instead of the length of what is written: more than is
     * written gives a short body (the server then closes), less a body with excess bytes. Implies
     * {@link Framing#CONTENT_LENGTH}.
     */
    public Script declaredLength(long length) {
        framing(Framing.CONTENT_LENGTH);
        this.declaredLength = OptionalLong.of(length);
        return this;
    }

    /** What the connection does once the script has run (default {@link After#CLOSE}). */
    public Script after(After value) {
        this.after = value;
        return this;
    }

    /** Keeps the connection for the next request: {@code after(After.KEEP_ALIVE)}. */
    public Script keepAlive() {
        return after(After.KEEP_ALIVE);
    }

    /** Sends nothing more and waits for the client to close: {@code after(After.HOLD)}. */
    public Script hold() {
        return after(After.HOLD);
    }

    /** Sends the head now, if it has not gone out yet (e.g. to stall after the head, before any body). */
    public Script sendHead() {
        requireHead();
        steps.add(new Step.Head());
        return this;
    }

    /** Writes {@code text} (UTF-8) in one write (one chunk in chunked framing). */
    public Script send(String text) {
        return send(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code bytes} in one write (one chunk in chunked framing; an empty piece writes nothing). */
    public Script send(byte[] bytes) {
        steps.add(new Step.Write(bytes.clone(), raw));
        return this;
    }

    /** Writes {@code text} (UTF-8) as it is, outside the framing: for malformed framing and hand-made chunks. */
    public Script sendRaw(String text) {
        return sendRaw(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code bytes} as they are, outside the framing. */
    public Script sendRaw(byte[] bytes) {
        steps.add(new Step.Write(bytes.clone(), true));
        return this;
    }

    /** Writes a chunk-size line that is not hexadecimal ({@code token} CRLF): a malformed chunked body. */
    public Script badChunkSize(String token) {
        return sendRaw(token + "\r\n");
    }

    /** Writes {@code text} (UTF-8) one byte per write. */
    public Script sendBytewise(String text) {
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            steps.add(new Step.Write(new byte[] {b}, raw));
        }
        return this;
    }

    /** Writes {@code text} (UTF-8) in pieces split at the given byte offsets (ascending; out-of-range ones are skipped). */
    public Script sendSplit(String text, int... offsets) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int from = 0;
        for (int at : offsets) {
            if (at > from && at < bytes.length) {
                steps.add(new Step.Write(Arrays.copyOfRange(bytes, from, at), raw));
                from = at;
            }
        }
        steps.add(new Step.Write(Arrays.copyOfRange(bytes, from, bytes.length), raw));
        return this;
    }

    /** Writes {@code text} (UTF-8) in pieces of random sizes (1..maxPiece bytes) drawn from {@code seed}. */
    public Script sendRandomlySplit(String text, long seed, int maxPiece) {
        return sendRandomlySplit(text.getBytes(StandardCharsets.UTF_8), new SplittableRandom(seed), maxPiece);
    }

    /** Writes {@code bytes} in pieces of random sizes (1..maxPiece bytes) drawn from {@code random}. */
    public Script sendRandomlySplit(byte[] bytes, SplittableRandom random, int maxPiece) {
        for (int from = 0; from < bytes.length; ) {
            int len = Math.min(bytes.length - from, 1 + random.nextInt(maxPiece));
            steps.add(new Step.Write(Arrays.copyOfRange(bytes, from, from + len), raw));
            from += len;
        }
        return this;
    }

    /**
     * Writes {@code text} (UTF-8) {@code bytesPerStep} bytes at a time, pausing {@code interval} of
     * real time after each: for tests of pacing over a real clock only.
     */
    public Script throttle(String text, int bytesPerStep, Duration interval) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int from = 0; from < bytes.length; from += bytesPerStep) {
            steps.add(
                    new Step.Write(Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + bytesPerStep)), raw));
            steps.add(new Step.Pause(interval));
        }
        return this;
    }

    /**
     * Writes the text (UTF-8) {@code text} completes with, once the test completes it (framed like
     * {@link #send}). With {@link Framing#CONTENT_LENGTH} the length must be {@link #declaredLength declared}.
     */
    public Script sendLater(CompletionStage<String> text) {
        steps.add(new Step.WriteLater(text.thenApply(t -> t.getBytes(StandardCharsets.UTF_8)), raw));
        return this;
    }

    /** Writes the text (UTF-8) {@code text} completes with as it is, outside the framing, once the test completes it. */
    public Script sendRawLater(CompletionStage<String> text) {
        steps.add(new Step.WriteLater(text.thenApply(t -> t.getBytes(StandardCharsets.UTF_8)), true));
        return this;
    }

    /** Waits until {@code gate} completes (normally or not), at most the upstream's guard timeout. */
    public Script await(CompletionStage<?> gate) {
        steps.add(new Step.Await(gate));
        return this;
    }

    /** Waits until the test counts {@code latch} down, at most the upstream's guard timeout. */
    public Script await(CountDownLatch latch) {
        steps.add(new Step.AwaitLatch(latch));
        return this;
    }

    /**
     * Waits {@code duration} of real time. Only for tests about real pacing: to wait for the test,
     * use {@link #await}; to wait for the client, {@link #stall()}.
     */
    public Script pause(Duration duration) {
        steps.add(new Step.Pause(duration));
        return this;
    }

    /**
     * Holds the response here until {@link UpstreamConnection#release()} or until the client closes
     * the connection; {@link UpstreamConnection#stalled()} completes when the script gets here. (Bounded
     * only by the upstream's close and a five-minute backstop: a stall is how a test holds an upstream
     * "forever".)
     */
    public Script stall() {
        steps.add(new Step.Stall());
        return this;
    }

    /** Closes the connection here (FIN), without finishing the body. */
    public Script cut() {
        steps.add(new Step.Cut(false));
        return this;
    }

    /** Resets the connection here (RST), without finishing the body; unread data on the client's side is lost. */
    public Script reset() {
        steps.add(new Step.Cut(true));
        return this;
    }

    /** {@code text} (UTF-8) as one HTTP chunk, for hand-made chunked bodies: hex size, CRLF, data, CRLF. */
    public static String chunk(String text) {
        return Integer.toHexString(text.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + text + "\r\n";
    }

    // ---- for the connection that runs the script ----

    boolean isRaw() {
        return raw;
    }

    Framing framingValue() {
        return framing;
    }

    After afterValue() {
        return after;
    }

    List<Step> steps() {
        return steps;
    }

    /** Checks the script can be run; called when it is enqueued. */
    Script validated() {
        boolean framedLater = steps.stream().anyMatch(s -> s instanceof Step.WriteLater w && !w.raw());
        if (!raw && framing == Framing.CONTENT_LENGTH && framedLater && declaredLength.isEmpty()) {
            throw new IllegalStateException("a Content-Length body with sendLater needs declaredLength(...)");
        }
        if (!raw && framing == Framing.CLOSE_DELIMITED && after == After.KEEP_ALIVE) {
            throw new IllegalStateException("a close-delimited body cannot keep its connection");
        }
        return this;
    }

    /** The response head. */
    byte[] head() {
        StringBuilder sb = new StringBuilder("HTTP/1.1 ")
                .append(status)
                .append(' ')
                .append(Http1.reason(status))
                .append("\r\n");
        boolean connectionGiven = false;
        for (String[] h : headers) {
            sb.append(h[0]).append(": ").append(h[1]).append("\r\n");
            connectionGiven |= h[0].toLowerCase(Locale.ROOT).equals("connection");
        }
        if (hasBody()) {
            switch (framing) {
                case CHUNKED -> sb.append("Transfer-Encoding: chunked\r\n");
                case CONTENT_LENGTH ->
                    sb.append("Content-Length: ")
                            .append(declaredLength.orElseGet(this::writtenLength))
                            .append("\r\n");
                case CLOSE_DELIMITED -> {}
            }
        }
        if (after != After.KEEP_ALIVE && !connectionGiven) {
            sb.append("Connection: close\r\n");
        }
        return sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Whether the framing applies: 1xx, 204 and 304 responses have no body (RFC 9112 6.3). */
    boolean hasBody() {
        return !raw && status >= 200 && status != 204 && status != 304;
    }

    private long writtenLength() {
        long n = 0;
        for (Step s : steps) {
            if (s instanceof Step.Write w && !w.raw()) {
                n += w.bytes().length;
            }
        }
        return n;
    }

    private void requireHead() {
        if (raw) {
            throw new IllegalStateException("a raw script has no generated head: write it with sendRaw");
        }
    }

    /** How long a latch step may wait. */
    static boolean await(CountDownLatch latch, Duration guard) throws InterruptedException {
        return latch.await(guard.toNanos(), TimeUnit.NANOSECONDS);
    }
}
