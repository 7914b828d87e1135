package io.aistream.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * A real nginx as a round-robin HTTP proxy in front of loopback upstreams (gateway nodes), for the cluster
 * tests: Debian's binary (found through {@code NGINX}, {@code PATH} or {@code /usr/sbin/nginx}) in the
 * foreground, one process ({@code master_process off}: nothing to switch users for, so it runs the same as root
 * and as a normal user), with a generated config, pid file, logs and temp paths in a temporary folder.
 *
 * <p>It proxies our traffic faithfully: HTTP/1.1 to the upstreams, no response buffering and no request
 * buffering (each SSE chunk passes at once), WebSocket upgrades, one hour read and send timeouts, every request
 * header passed (underscores too). Upstreams are taken in turn; one that refuses the connection (a dead node) is
 * skipped for the next, and is never marked down ({@code max_fails=0}), so a node restarted on its old port gets
 * requests again at once. A node that accepts but does not answer (paused) is not skipped: the request waits.
 * The access log names the upstream that served each request ({@code upstream=127.0.0.1:port}).
 *
 * <p>{@link #start} returns once it accepts connections. {@link #close()} stops it (SIGTERM, then SIGKILL) and
 * deletes its folder. Thread-safe.
 */
public final class NginxProxy implements AutoCloseable {
    /** How long {@link #start} waits for nginx to accept connections. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    static final SystemBinary BINARY = new SystemBinary("NGINX", "nginx", Path.of("/usr/sbin/nginx"), "nginx");

    private static final int MAX_LOG_LINES = 10_000;
    private static final int MAX_LOG_FILE_TAIL = 256 * 1024;
    private static final int START_ATTEMPTS = 3;

    private final Path dir;
    private final int port;
    private final List<Integer> upstreams;
    private final BoundedLog output = new BoundedLog(MAX_LOG_LINES);
    private ChildProcess process; // set once in launch

    private NginxProxy(Path dir, int port, List<Integer> upstreams) {
        this.dir = dir;
        this.port = port;
        this.upstreams = upstreams;
    }

    /**
     * Aborts the calling test (a JUnit assumption) when nginx is missing and {@code AISTREAM_CLUSTER_TESTS=skip}
     * is set; fails it with how to install it when it is missing otherwise.
     */
    public static void assumeAvailable() {
        BINARY.assumeAvailable(System.getenv());
    }

    /** {@link #start(List)} with these upstream ports. */
    public static NginxProxy start(int... upstreamPorts) throws IOException {
        return start(Arrays.stream(upstreamPorts).boxed().toList());
    }

    /**
     * Starts nginx on a free loopback port, round-robin over {@code 127.0.0.1:<port>} for each of {@code
     * upstreamPorts} (in that order), and waits until it accepts connections.
     *
     * @throws IllegalArgumentException for no upstreams or a port outside 1..65535
     * @throws IllegalStateException when nginx is missing (saying how to install it), or does not start (with
     *     its log)
     */
    public static NginxProxy start(List<Integer> upstreamPorts) throws IOException {
        if (upstreamPorts.isEmpty()) {
            throw new IllegalArgumentException("nginx needs at least one upstream port");
        }
        for (int p : upstreamPorts) {
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("upstream port out of range 1..65535: " + p);
            }
        }
        Path binary = BINARY.require(System.getenv());
        for (int attempt = 1; ; attempt++) {
            Path dir = Files.createTempDirectory("aistream-nginx");
            NginxProxy nginx = new NginxProxy(dir, TempDirs.freeLoopbackPort(), List.copyOf(upstreamPorts));
            try {
                nginx.launch(binary);
                return nginx;
            } catch (IllegalStateException e) {
                String log = nginx.log();
                nginx.close();
                // the free port was taken between our look and nginx's bind: try another one
                if (attempt == START_ATTEMPTS || !log.contains("Address already in use")) {
                    throw e;
                }
            }
        }
    }

    private synchronized void launch(Path binary) throws IOException {
        // temp folders must exist and belong to us: the compiled-in defaults are under /var/lib/nginx
        for (String sub : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
            Files.createDirectories(dir.resolve("temp").resolve(sub));
        }
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, config());
        // -e: the error log before the config is read (the default file is not writable for a normal user)
        List<String> args = List.of(
                "-p",
                dir + "/",
                "-c",
                conf.toString(),
                "-e",
                dir.resolve("error.log").toString());
        process = ChildProcess.start("nginx", SystemBinary.commandLine(binary, args), dir, output);
        awaitListening();
    }

    /** The generated configuration (for failure messages and the curious). */
    public String config() {
        String d = dir.toString();
        StringBuilder servers = new StringBuilder();
        for (int p : upstreams) {
            servers.append("        server 127.0.0.1:").append(p).append(" max_fails=0;\n");
        }
        return """
                daemon off;
                master_process off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log info;

                events {
                    worker_connections 4096;
                }

                http {
                    log_format upstreams '$remote_addr "$request" status=$status bytes=$body_bytes_sent '
                                         'upstream=$upstream_addr upstream_status=$upstream_status';
                    access_log %1$s/access.log upstreams;
                    client_body_temp_path %1$s/temp/client_body;
                    proxy_temp_path %1$s/temp/proxy;
                    fastcgi_temp_path %1$s/temp/fastcgi;
                    uwsgi_temp_path %1$s/temp/uwsgi;
                    scgi_temp_path %1$s/temp/scgi;

                    # a WebSocket upgrade is passed on; any other request (an h2c upgrade attempt of a client
                    # included: a load balancer answers it in HTTP/1.1) asks the upstream to close after it
                    map $http_upgrade $websocket_upgrade {
                        ~*^websocket$ $http_upgrade;
                        default       '';
                    }
                    map $http_upgrade $connection_upgrade {
                        ~*^websocket$ upgrade;
                        default       close;
                    }

                    upstream gateways {
                %2$s    }

                    server {
                        listen 127.0.0.1:%3$d;
                        underscores_in_headers on;
                        client_max_body_size 0;
                        keepalive_timeout 1h;

                        location / {
                            proxy_pass http://gateways;
                            proxy_http_version 1.1;
                            proxy_set_header Host $http_host;
                            proxy_set_header Upgrade $websocket_upgrade;
                            proxy_set_header Connection $connection_upgrade;
                            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                            proxy_buffering off;
                            proxy_request_buffering off;
                            proxy_cache off;
                            proxy_connect_timeout 5s;
                            proxy_read_timeout 1h;
                            proxy_send_timeout 1h;
                            proxy_next_upstream error timeout;
                            proxy_next_upstream_tries 0;
                        }
                    }
                }
                """.formatted(d, servers, port);
    }

    private void awaitListening() throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            long seen = output.appended();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
                return;
            } catch (IOException e) {
                // not listening yet
            }
            if (!process.alive()) {
                throw new IllegalStateException("nginx exited before it listened on port " + port + ":\n" + log());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "nginx did not listen on port " + port + " within " + START_TIMEOUT + ":\n" + log());
            }
            try {
                // nginx writes nothing on stdout when it listens: this wakes on an error line, or after 20 ms
                output.awaitAppendedBeyond(seen, Duration.ofMillis(20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for nginx", e);
            }
        }
    }

    /** The loopback port it listens on. */
    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>} with no trailing slash. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The upstream ports, in the order of the configuration. */
    public List<Integer> upstreams() {
        return upstreams;
    }

    /** The access log so far: one line per finished request, naming the upstream(s) tried. */
    public String accessLog() {
        return tail(dir.resolve("access.log"));
    }

    /** nginx's output, error log and access log so far (the last 256 KiB of each file). */
    public String log() {
        return "---- nginx output ----\n" + output.text() + "\n---- error.log ----\n" + tail(dir.resolve("error.log"))
                + "\n---- access.log ----\n" + accessLog();
    }

    private static String tail(Path file) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, f.length() - MAX_LOG_FILE_TAIL);
            byte[] bytes = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(" + file.getFileName() + ": " + e.getMessage() + ")";
        }
    }

    /** Stops nginx (SIGTERM: it closes every connection; SIGKILL after 10 s) and deletes its folder. */
    @Override
    public synchronized void close() {
        try {
            if (process != null && process.alive()) {
                process.terminate(Duration.ofSeconds(10));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException e) {
            // it was killed after the grace period: nothing more to do
        } finally {
            TempDirs.deleteTree(dir);
        }
    }

    @Override
    public String toString() {
        return "NginxProxy[" + baseUrl() + " -> " + upstreams + "]";
    }
}
