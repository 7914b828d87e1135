package io.aistream.bench.load;

import io.aistream.bench.upstream.Fault;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * What a load run does. Build with {@link #builder(URI)}; {@link Builder#build()} checks every
 * field and names the one at fault.
 *
 * @param target        the target's base URL ({@code http://host:port}, optionally with a path
 *                      prefix; a trailing {@code /v1} is allowed)
 * @param protocol      how to talk to it
 * @param streams       concurrent streams (C)
 * @param rate          content chunks per second asked of the upstream per stream; 0 = unpaced
 * @param tokens        content chunks per stream
 * @param duration      with {@code tokens} given, each of the C workers starts a new stream whenever
 *                      its stream ends, until this much time has passed (streams in flight then
 *                      finish); without, each stream is made to last this long (tokens = duration ×
 *                      rate) and each worker runs one; null: each worker runs one stream
 * @param chunkSize     text characters per delta after the 28-character stamp
 * @param ttftMs        upstream delay before the first content chunk
 * @param model         the model field ({@code m}; through a gateway's OpenAI endpoint {@code bench/m})
 * @param provider      the native/ws {@code provider} field
 * @param backpressure  the native/ws {@code backpressure} field, or null to leave it out
 * @param resumable     send native/ws requests with {@code "resumable": true} (the gateway keeps each
 *                      stream in its resume store: in memory, or Redis on a cluster)
 * @param fault         a scripted upstream fault (see {@link Fault}) for some streams, or null
 * @param faultEvery    the fault applies to streams whose global index is a multiple of this
 * @param modelParams   also encode the stream parameters in the model name ({@code m@rate=20,...}),
 *                      for relays that drop unknown request fields
 * @param slowReader    read each stream slowly (small reads with pauses) to exercise backpressure
 * @param readPause     the pause between reads of a slow reader
 * @param readBytes     the read size of a slow reader
 * @param ramp          spread stream starts evenly over this long (default: one chunk interval,
 *                      1/rate, so paced streams are not in lockstep)
 * @param warmup        chunks arriving in this first period are counted but not in the latency histograms
 * @param timeout       longest wait for any read (connect, head, next bytes)
 * @param pid           the target's process id, to measure its CPU and memory; null for none
 * @param apiKey        sent as {@code Authorization: Bearer}, or null
 * @param label         a name for this run in reports and charts
 * @param repeat        whether tokens were given explicitly (see {@code duration})
 * @param abortAfter    if positive, the client aborts each stream after this many chunks (closes the
 *                      connection; on ws sends {@code abort}): the abort-storm scenario
 * @param ioThreads     event-loop threads for openai/native fast readers (default: half the cores, at least 1)
 * @param wsStreamsPerSocket ws only: how many workers share one WebSocket (K; worker i uses socket
 *                      i / K, its streams multiplexed by name); 1 = a socket per worker
 * @param upstream      the fake upstream's base URL, asked after an {@code abortAfter} run when it saw
 *                      each stream aborted ({@code GET /aborts}); null: the target itself (right when
 *                      the target is the fake upstream)
 */
public record LoadOptions(
        URI target,
        Protocol protocol,
        int streams,
        double rate,
        int tokens,
        Duration duration,
        int chunkSize,
        long ttftMs,
        String model,
        String provider,
        String backpressure,
        boolean resumable,
        Fault fault,
        int faultEvery,
        boolean modelParams,
        boolean slowReader,
        Duration readPause,
        int readBytes,
        Duration ramp,
        Duration warmup,
        Duration timeout,
        Long pid,
        String apiKey,
        String label,
        boolean repeat,
        int ioThreads,
        int abortAfter,
        int wsStreamsPerSocket,
        URI upstream,
        Long upstreamPid) {

    public LoadOptions {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(fault, "fault");
        Objects.requireNonNull(readPause, "readPause");
        Objects.requireNonNull(ramp, "ramp");
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(label, "label");
    }

    /** Whether workers start new streams until the duration ends. */
    public boolean repeats() {
        return repeat && duration != null;
    }

    public static Builder builder(URI target) {
        return new Builder(target);
    }

    /** The base URL's path prefix, without a trailing {@code /} or {@code /v1}. */
    String pathPrefix() {
        String p = target.getRawPath() == null ? "" : target.getRawPath();
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.endsWith("/v1")) {
            p = p.substring(0, p.length() - 3);
        }
        return p;
    }

    /** The endpoint path for the protocol. */
    public String endpointPath() {
        return pathPrefix() + protocol.path();
    }

    /** WebSockets the run keeps open at once (ws): ⌈streams / K⌉. */
    public int wsSockets() {
        return (streams + wsStreamsPerSocket - 1) / wsStreamsPerSocket;
    }

    /** Chunks per second the run offers in total: streams × rate (0 when unpaced). */
    public double offeredChunksPerSecond() {
        return streams * rate;
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private final URI target;
        private Protocol protocol = Protocol.OPENAI;
        private int streams = 10;
        private double rate = 20;
        private Integer tokens;
        private Duration duration;
        private int chunkSize = 4;
        private long ttftMs;
        private String model = "m";
        private String provider = "bench";
        private String backpressure;
        private boolean resumable;
        private Fault fault = Fault.NONE;
        private int faultEvery = 1;
        private boolean modelParams;
        private boolean slowReader;
        private Duration readPause = Duration.ofMillis(100);
        private int readBytes = 256;
        private Duration ramp;
        private Duration warmup = Duration.ZERO;
        private Duration timeout = Duration.ofSeconds(30);
        private Long pid;
        private String apiKey;
        private String label;
        private int ioThreads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        private int abortAfter;
        private int wsStreamsPerSocket = 1;
        private URI upstream;
        private Long upstreamPid;

        Builder(URI target) {
            this.target = target;
        }

        public Builder protocol(Protocol p) {
            protocol = p;
            return this;
        }

        public Builder streams(int n) {
            streams = n;
            return this;
        }

        public Builder rate(double r) {
            rate = r;
            return this;
        }

        /** Chunks per stream; when not set: duration × rate if a duration and a rate are set, else 100. */
        public Builder tokens(Integer n) {
            tokens = n;
            return this;
        }

        public Builder duration(Duration d) {
            duration = d;
            return this;
        }

        public Builder chunkSize(int n) {
            chunkSize = n;
            return this;
        }

        public Builder ttftMs(long ms) {
            ttftMs = ms;
            return this;
        }

        public Builder model(String m) {
            model = m;
            return this;
        }

        public Builder provider(String p) {
            provider = p;
            return this;
        }

        public Builder backpressure(String b) {
            backpressure = b;
            return this;
        }

        public Builder resumable(boolean r) {
            resumable = r;
            return this;
        }

        public Builder fault(Fault f) {
            fault = f;
            return this;
        }

        public Builder faultEvery(int n) {
            faultEvery = n;
            return this;
        }

        public Builder modelParams(boolean b) {
            modelParams = b;
            return this;
        }

        public Builder slowReader(boolean b) {
            slowReader = b;
            return this;
        }

        public Builder readPause(Duration d) {
            readPause = d;
            return this;
        }

        public Builder readBytes(int n) {
            readBytes = n;
            return this;
        }

        public Builder ramp(Duration d) {
            ramp = d;
            return this;
        }

        public Builder warmup(Duration d) {
            warmup = d;
            return this;
        }

        public Builder timeout(Duration d) {
            timeout = d;
            return this;
        }

        public Builder pid(Long p) {
            pid = p;
            return this;
        }

        public Builder apiKey(String k) {
            apiKey = k;
            return this;
        }

        public Builder abortAfter(int n) {
            abortAfter = n;
            return this;
        }

        /** ws: workers per shared WebSocket (default 1: a socket per worker). */
        public Builder wsStreamsPerSocket(int k) {
            wsStreamsPerSocket = k;
            return this;
        }

        /** The fake upstream's base URL, for the abort latency when the target is a relay in front of it. */
        public Builder upstream(URI u) {
            upstream = u;
            return this;
        }

        /** The fake upstream's process: its CPU over the same measured window goes in the report. */
        public Builder upstreamPid(Long p) {
            upstreamPid = p;
            return this;
        }

        public Builder ioThreads(int n) {
            ioThreads = n;
            return this;
        }

        public Builder label(String l) {
            label = l;
            return this;
        }

        /** Checks and builds; throws {@link IllegalArgumentException} naming the bad option. */
        public LoadOptions build() {
            if (target == null) {
                throw new IllegalArgumentException("--target is required, e.g. http://127.0.0.1:8080");
            }
            String scheme = target.getScheme();
            if (scheme == null || !(scheme.equals("http") || scheme.equals("ws")) || target.getHost() == null) {
                throw new IllegalArgumentException(
                        "--target must be an http:// URL with a host, e.g. http://127.0.0.1:8080"
                                + " (https is not supported: measure relays on plain loopback): " + target);
            }
            if (streams < 1 || streams > 1_000_000) {
                throw new IllegalArgumentException("--streams must be within 1..1000000: " + streams);
            }
            if (!(rate >= 0) || Double.isInfinite(rate)) {
                throw new IllegalArgumentException("--rate must be >= 0 chunks/s (0 = unpaced): " + rate);
            }
            if (duration != null && (duration.isNegative() || duration.isZero())) {
                throw new IllegalArgumentException("--duration must be positive: " + duration);
            }
            int n;
            if (tokens != null) {
                n = tokens;
            } else if (duration != null && rate > 0) {
                n = (int) Math.min(10_000_000, Math.max(1, Math.ceil(duration.toNanos() / 1e9 * rate)));
            } else {
                n = 100;
            }
            if (n < 1 || n > 10_000_000) {
                throw new IllegalArgumentException("--tokens must be within 1..10000000: " + n);
            }
            if (chunkSize < 0 || chunkSize > 60_000) {
                throw new IllegalArgumentException("--chunk-size must be within 0..60000: " + chunkSize);
            }
            if (ttftMs < 0) {
                throw new IllegalArgumentException("--ttft must be >= 0: " + ttftMs);
            }
            if (faultEvery < 1) {
                throw new IllegalArgumentException("--fault-every must be >= 1: " + faultEvery);
            }
            if (readBytes < 1) {
                throw new IllegalArgumentException("--read-bytes must be >= 1: " + readBytes);
            }
            Duration r = ramp != null ? ramp : rate > 0 ? Duration.ofNanos(Math.round(1e9 / rate)) : Duration.ZERO;
            if (readPause.isNegative() || r.isNegative() || warmup.isNegative()) {
                throw new IllegalArgumentException("--read-pause, --ramp and --warmup must not be negative");
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("--timeout must be positive: " + timeout);
            }
            if (pid != null && pid <= 0) {
                throw new IllegalArgumentException("--pid must be a process id: " + pid);
            }
            if (upstreamPid != null && upstreamPid <= 0) {
                throw new IllegalArgumentException("--upstream-pid must be a process id: " + upstreamPid);
            }
            if (resumable && (protocol == Protocol.OPENAI || protocol == Protocol.UI)) {
                throw new IllegalArgumentException(
                        "--resumable needs --protocol native or ws (OpenAI has no resume; the UI stream resumes by chat id)");
            }
            if (backpressure != null && !backpressure.matches("block|buffer|drop|coalesce")) {
                throw new IllegalArgumentException(
                        "--backpressure must be block, buffer, drop or coalesce: " + backpressure);
            }
            if (abortAfter < 0) {
                throw new IllegalArgumentException("--abort-after must be >= 0: " + abortAfter);
            }
            if (upstream != null && (!"http".equals(upstream.getScheme()) || upstream.getHost() == null)) {
                throw new IllegalArgumentException(
                        "--upstream must be an http:// URL with a host, e.g. http://127.0.0.1:18091: " + upstream);
            }
            if (ioThreads < 1 || ioThreads > 256) {
                throw new IllegalArgumentException("--io-threads must be within 1..256: " + ioThreads);
            }
            if (wsStreamsPerSocket < 1 || wsStreamsPerSocket > 10_000) {
                throw new IllegalArgumentException(
                        "--ws-streams-per-socket must be within 1..10000: " + wsStreamsPerSocket);
            }
            if (wsStreamsPerSocket > 1 && protocol != Protocol.WS) {
                throw new IllegalArgumentException("--ws-streams-per-socket " + wsStreamsPerSocket
                        + " needs --protocol ws (openai and native run one stream per connection at a time)");
            }
            if (wsStreamsPerSocket > 1 && slowReader) {
                throw new IllegalArgumentException("--slow-reader cannot share WebSockets (--ws-streams-per-socket "
                        + wsStreamsPerSocket + "): WebSocket flow control is per socket, so one slow stream would"
                        + " stall the others on its socket; use --ws-streams-per-socket 1");
            }
            if (model.isBlank()) {
                throw new IllegalArgumentException("--model must not be blank");
            }
            String l = label != null ? label : protocol.wireName() + "-c" + streams + "-r" + formatRate(rate);
            return new LoadOptions(
                    target,
                    protocol,
                    streams,
                    rate,
                    n,
                    duration,
                    chunkSize,
                    ttftMs,
                    model,
                    provider,
                    backpressure,
                    resumable,
                    fault,
                    faultEvery,
                    modelParams,
                    slowReader,
                    readPause,
                    readBytes,
                    r,
                    warmup,
                    timeout,
                    pid,
                    apiKey,
                    l,
                    tokens != null,
                    ioThreads,
                    abortAfter,
                    wsStreamsPerSocket,
                    upstream,
                    upstreamPid);
        }
    }

    static String formatRate(double r) {
        return r == Math.rint(r) ? Long.toString((long) r) : Double.toString(r);
    }
}
