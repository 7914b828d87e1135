package io.aistream.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real {@code redis-server} for tests: Debian's binary (found through {@code REDIS_SERVER}, {@code PATH} or
 * {@code /usr/bin/redis-server}) on a free loopback port, with a temporary folder of its own, no persistence
 * ({@code --save '' --appendonly no}) and the {@code DEBUG} command enabled, so tests can stall it.
 *
 * <p>{@link #start()} returns once it answers {@code PING}. It can be stopped gracefully ({@link #stop()}),
 * killed ({@link #kill()}), paused ({@link #pause()}) and restarted on the same port ({@link #restart()}),
 * which starts it empty. {@link #command} sends one command over a plain socket (this module has no Redis
 * client, and must not get one) and returns the raw RESP reply.
 *
 * <p>When the binary is missing, {@link #start()} throws an exception that says how to install it; tests call
 * {@link #assumeAvailable()} first so that, with {@code AISTREAM_CLUSTER_TESTS=skip} (set by {@code test.sh}
 * where it could not install it), they are skipped instead.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start()) {
 *     ... start gateways with "redis": {"url": redis.url()} ...
 *     redis.restart();                       // empty again, same port
 *     assertThat(redis.command("DBSIZE")).isEqualTo(":0\r\n");
 * }
 * }</pre>
 *
 * <p>Thread-safe; {@link #close()} kills the process and deletes its folder.
 */
public final class RedisServer implements AutoCloseable {
    /** How long {@link #start()} and {@link #restart()} wait for the first {@code PING} answer. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    /** The largest reply {@link #command} reads; a longer one is an error (every buffer has a bound). */
    public static final int MAX_REPLY_BYTES = 16 << 20;

    static final SystemBinary BINARY =
            new SystemBinary("REDIS_SERVER", "redis-server", Path.of("/usr/bin/redis-server"), "redis-server");

    private static final int MAX_LOG_LINES = 10_000;
    private static final int START_ATTEMPTS = 3;

    private final Path binary;
    private final Path dir;
    private final int port;
    private final BoundedLog log = new BoundedLog(MAX_LOG_LINES);
    private ChildProcess process; // guarded by this

    private RedisServer(Path binary, Path dir, int port) {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
    }

    /**
     * Aborts the calling test (a JUnit assumption) when redis-server is missing and {@code
     * AISTREAM_CLUSTER_TESTS=skip} is set; fails it with how to install it when it is missing otherwise.
     */
    public static void assumeAvailable() {
        BINARY.assumeAvailable(System.getenv());
    }

    /**
     * Starts a redis-server on a free loopback port and waits until it answers {@code PING}.
     *
     * @throws IllegalStateException when the binary is missing (saying how to install it) or the server does
     *     not answer within {@link #START_TIMEOUT} (with its log)
     */
    public static RedisServer start() throws IOException {
        Path binary = BINARY.require(System.getenv());
        for (int attempt = 1; ; attempt++) {
            Path dir = Files.createTempDirectory("aistream-redis");
            RedisServer redis = new RedisServer(binary, dir, TempDirs.freeLoopbackPort());
            try {
                redis.launch();
                return redis;
            } catch (IllegalStateException e) {
                redis.close();
                // the free port was taken between our look and redis-server's bind: try another one
                if (attempt == START_ATTEMPTS || !redis.log().contains("Address already in use")) {
                    throw e;
                }
            }
        }
    }

    private synchronized void launch() throws IOException {
        List<String> args = List.of(
                "--port", Integer.toString(port),
                "--bind", "127.0.0.1",
                "--protected-mode", "no",
                "--save", "",
                "--appendonly", "no",
                "--dir", dir.toString(),
                "--daemonize", "no",
                "--enable-debug-command", "yes");
        process = ChildProcess.start("redis-server", SystemBinary.commandLine(binary, args), dir, log);
        awaitPing(process);
    }

    private void awaitPing(ChildProcess p) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            long seen = log.appended();
            try {
                if ("+PONG\r\n".equals(command("PING"))) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (!p.alive()) {
                throw new IllegalStateException(
                        "redis-server exited before it answered PING on port " + port + ":\n" + log.tail(40));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("redis-server did not answer PING on port " + port + " within "
                        + START_TIMEOUT + ":\n" + log.tail(40));
            }
            try {
                // it logs "Ready to accept connections" when it listens: try again then, or after a short while
                log.awaitAppendedBeyond(seen, Duration.ofMillis(50));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for redis-server", e);
            }
        }
    }

    /** {@code redis://127.0.0.1:<port>/0}. */
    public String url() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    /** The loopback port; the same after {@link #restart()}. */
    public int port() {
        return port;
    }

    /** The process id of the current run. */
    public synchronized long pid() {
        return process.pid();
    }

    /** Whether the current run is alive (a paused one is). */
    public synchronized boolean alive() {
        return process.alive();
    }

    /**
     * Sends one command on a new connection and returns its reply as the raw RESP text, e.g. {@code "+PONG\r\n"},
     * {@code ":3\r\n"} for {@code DBSIZE}, {@code "*1\r\n$9\r\naistream:\r\n"} for {@code KEYS aistream:*}, or
     * {@code "-ERR ...\r\n"}. Blocks until the reply (a {@code DEBUG SLEEP} included, up to two minutes).
     *
     * @throws IOException when the server cannot be reached, closes the connection before a whole reply, or the
     *     reply exceeds {@link #MAX_REPLY_BYTES}
     */
    public String command(String... args) throws IOException {
        if (args.length == 0) {
            throw new IllegalArgumentException("a Redis command needs at least its name");
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
            s.setSoTimeout(120_000);
            OutputStream out = s.getOutputStream();
            out.write(encode(args));
            out.flush();
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            readReply(new BufferedInputStream(s.getInputStream()), reply);
            return reply.toString(StandardCharsets.UTF_8);
        }
    }

    static byte[] encode(String... args) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String a : args) {
            byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
            b.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            b.writeBytes(bytes);
            b.writeBytes(new byte[] {'\r', '\n'});
        }
        return b.toByteArray();
    }

    /** Copies one whole RESP2 reply (nested arrays included) from {@code in} to {@code reply}. */
    static void readReply(InputStream in, ByteArrayOutputStream reply) throws IOException {
        String line = readLine(in, reply);
        char type = line.charAt(0);
        switch (type) {
            case '+', '-', ':' -> {}
            case '$' -> {
                int length = Integer.parseInt(line.substring(1));
                if (length >= 0) {
                    checkBound(reply, length + 2L);
                    byte[] body = in.readNBytes(length + 2);
                    if (body.length < length + 2) {
                        throw new EOFException("redis closed the connection inside a bulk reply");
                    }
                    reply.writeBytes(body);
                }
            }
            case '*' -> {
                int count = Integer.parseInt(line.substring(1));
                for (int i = 0; i < count; i++) {
                    readReply(in, reply);
                }
            }
            default -> throw new IOException("not a RESP2 reply: " + line);
        }
    }

    private static String readLine(InputStream in, ByteArrayOutputStream reply) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("redis closed the connection before a whole reply");
            }
            line.write(c);
            checkBound(reply, line.size());
            if (previous == '\r' && c == '\n') {
                break;
            }
            previous = c;
        }
        byte[] bytes = line.toByteArray();
        reply.writeBytes(bytes);
        return new String(bytes, 0, bytes.length - 2, StandardCharsets.UTF_8);
    }

    private static void checkBound(ByteArrayOutputStream reply, long more) throws IOException {
        if (reply.size() + more > MAX_REPLY_BYTES) {
            throw new IOException("redis reply longer than " + MAX_REPLY_BYTES + " bytes");
        }
    }

    /** Stops it gracefully (SIGTERM; redis-server closes its clients and exits) and waits for the exit. */
    public synchronized void stop() throws InterruptedException {
        if (process.alive()) {
            process.terminate(Duration.ofSeconds(30));
        }
    }

    /** Kills it (SIGKILL: no goodbye to its clients) and waits for the exit. */
    public synchronized void kill() throws InterruptedException {
        process.kill();
    }

    /** SIGSTOP: connections stay open, nothing is answered until {@link #resume()}. */
    public synchronized void pause() {
        process.pause();
    }

    /** SIGCONT after {@link #pause()}. */
    public synchronized void resume() {
        process.resume();
    }

    /**
     * Starts it again on the same port, empty (no persistence), and waits until it answers {@code PING}; a
     * running one is stopped first ({@link #stop()}).
     *
     * @throws IllegalStateException when it does not answer within {@link #START_TIMEOUT}, e.g. because another
     *     process took the port meanwhile (the log says so)
     */
    public synchronized void restart() throws IOException, InterruptedException {
        stop();
        log.append("---- restart on port " + port + " ----");
        launch();
    }

    /** Everything the server logged, over all its runs (the newest lines when there were very many). */
    public String log() {
        return log.text();
    }

    /** Kills the server and deletes its folder. */
    @Override
    public synchronized void close() {
        try {
            if (process != null && process.alive()) {
                process.kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            TempDirs.deleteTree(dir);
        }
    }

    @Override
    public String toString() {
        return "RedisServer[" + url() + "]";
    }
}
