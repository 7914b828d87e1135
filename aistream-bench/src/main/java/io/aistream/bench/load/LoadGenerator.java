package io.aistream.bench.load;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Opens {@link LoadOptions#streams()} concurrent streams through a target and measures how late
 * each chunk arrives against the fake upstream's send stamp.
 *
 * <p>Each stream slot is a virtual thread (a "worker") that runs its streams one after another on
 * one kept-alive connection: plain-socket HTTP/1.1 for openai and native (see
 * {@link HttpStreamClient}), {@code java.net.http.WebSocket} for ws — one per worker, or with
 * {@link LoadOptions#wsStreamsPerSocket()} K &gt; 1 one per K workers, their streams multiplexed
 * (see {@link WsMux}). Counters are striped
 * ({@code LongAdder}, a striped {@link io.aistream.bench.metrics.Histogram}), so workers do not
 * contend. A sampler reads the target's (and this process's) memory every 50 ms.
 */
public final class LoadGenerator {
    private static final long SAMPLE_MILLIS = 50;

    private LoadGenerator() {}

    /** Runs the load and reports; progress lines (every 5 s) go to {@code progress}. */
    public static LoadReport run(LoadOptions o, Consumer<String> progress) throws InterruptedException {
        Long pid = o.pid();
        if (pid != null && !ProcessStats.alive(pid)) {
            throw new IllegalArgumentException("--pid " + pid + ": no such process");
        }
        InetSocketAddress address;
        try {
            int port = o.target().getPort() > 0 ? o.target().getPort() : 80;
            address = new InetSocketAddress(
                    java.net.InetAddress.getByName(o.target().getHost()), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(
                    "--target: unknown host " + o.target().getHost());
        }
        Tally tally = new Tally();
        RequestBodies bodies = new RequestBodies(o);
        long self = ProcessHandle.current().pid();
        ProcessStats.Sample targetBefore = pid == null ? null : ProcessStats.read(pid);
        Long upstreamPid = o.upstreamPid();
        ProcessStats.Sample upstreamBefore = upstreamPid == null ? null : ProcessStats.read(upstreamPid);
        ProcessStats.Sample selfBefore = ProcessStats.read(self);
        Sampler sampler = new Sampler(pid, self);
        Thread samplerThread =
                Thread.ofPlatform().daemon().name("bench-sampler").start(sampler);

        List<HttpClient> wsClients = new ArrayList<>();
        ExecutorService wsExecutor = null;
        WsMux[] sockets = new WsMux[0];
        if (o.protocol() == Protocol.WS) {
            wsExecutor = Executors.newVirtualThreadPerTaskExecutor();
            int n = Math.max(1, Runtime.getRuntime().availableProcessors());
            for (int i = 0; i < n; i++) {
                wsClients.add(HttpClient.newBuilder()
                        .executor(wsExecutor)
                        .connectTimeout(o.timeout())
                        .build());
            }
            URI t = o.target();
            URI wsUri =
                    URI.create("ws://" + t.getHost() + (t.getPort() > 0 ? ":" + t.getPort() : "") + o.endpointPath());
            int k = o.wsStreamsPerSocket();
            sockets = new WsMux[o.wsSockets()];
            for (int s = 0; s < sockets.length; s++) {
                sockets[s] = new WsMux(o, wsClients.get(s % n), wsUri, tally, Math.min(k, o.streams() - s * k));
            }
        }

        long abortLogFrom = o.abortAfter() > 0 ? AbortProbe.mark(o) : 0;
        String startedAt = Instant.now().toString();
        long t0 = System.nanoTime();
        if (!o.warmup().isZero()) {
            tally.recordFrom = t0 + o.warmup().toNanos();
        }
        long deadline = o.repeats() ? t0 + o.duration().toNanos() : 0;
        long rampNanos = o.ramp().toNanos();
        AtomicLong streamIndex = new AtomicLong();
        boolean eventLoop = o.protocol() != Protocol.WS && !o.slowReader();
        Thread[] workers = new Thread[eventLoop ? 1 : o.streams()];
        if (eventLoop) {
            NioSseEngine engine = new NioSseEngine(o, address, tally, bodies, streamIndex, deadline, o.ioThreads(), t0);
            workers[0] = Thread.ofPlatform().name("bench-engine").start(() -> {
                try {
                    engine.run();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        for (int j = 0; j < workers.length && !eventLoop; j++) {
            long startAt = t0 + (workers.length == 1 ? 0 : rampNanos * j / workers.length);
            WsMux socket = sockets.length == 0 ? null : sockets[j / o.wsStreamsPerSocket()];
            int user = j % o.wsStreamsPerSocket();
            workers[j] = Thread.ofVirtual().name("bench-worker-", j).start(() -> {
                try {
                    sleepUntil(startAt);
                    if (o.protocol() == Protocol.WS) {
                        try (WsStreamClient c = new WsStreamClient(o, socket, user, tally)) {
                            do {
                                long idx = streamIndex.getAndIncrement();
                                c.run(idx, bodies.tag(idx), bodies.nativeRequestFor(idx));
                            } while (deadline != 0 && System.nanoTime() < deadline);
                        }
                    } else {
                        try (HttpStreamClient c = new HttpStreamClient(o, address, tally)) {
                            do {
                                long idx = streamIndex.getAndIncrement();
                                c.run(bodies.tag(idx), bodies.httpRequestFor(idx));
                            } while (deadline != 0 && System.nanoTime() < deadline);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        // With a warm-up, CPU use is measured from its end (JIT compilation and connection set-up left out).
        long[] warm = {
            t0,
            0,
            selfBefore == null ? -1 : selfBefore.cpuNanos(),
            targetBefore == null ? -1 : targetBefore.cpuNanos(),
            upstreamBefore == null ? -1 : upstreamBefore.cpuNanos()
        };
        Thread warmMark = o.warmup().isZero()
                ? null
                : Thread.ofVirtual().start(() -> {
                    try {
                        sleepUntil(t0 + o.warmup().toNanos());
                    } catch (InterruptedException e) {
                        return;
                    }
                    long c = tally.chunks.sum();
                    long sc = ProcessStats.cpuNanos(self);
                    long tc = pid == null ? -1 : ProcessStats.cpuNanos(pid);
                    long uc = upstreamPid == null ? -1 : ProcessStats.cpuNanos(upstreamPid);
                    synchronized (warm) {
                        warm[0] = System.nanoTime();
                        warm[1] = c;
                        warm[2] = sc;
                        warm[3] = tc;
                        warm[4] = uc;
                    }
                });
        Thread reporter = Thread.ofPlatform().daemon().name("bench-progress").start(() -> {
            long last = 0;
            long lastAt = t0;
            try {
                while (true) {
                    Thread.sleep(5000);
                    long now = System.nanoTime();
                    long c = tally.chunks.sum();
                    progress.accept(String.format(
                            Locale.ROOT,
                            "t=%.0fs open=%d streams=%d done=%d errors=%d truncated=%d chunks=%d (%.0f/s)",
                            (now - t0) / 1e9,
                            tally.open.get(),
                            tally.started.sum(),
                            tally.completed.sum(),
                            tally.errors.sum(),
                            tally.truncated.sum(),
                            c,
                            (c - last) / ((now - lastAt) / 1e9)));
                    last = c;
                    lastAt = now;
                }
            } catch (InterruptedException e) {
                // run over
            }
        });
        for (Thread w : workers) {
            w.join();
        }
        long t1 = System.nanoTime();
        if (warmMark != null) {
            warmMark.interrupt();
            warmMark.join();
        }
        reporter.interrupt();
        sampler.stop();
        samplerThread.join();
        if (wsExecutor != null) {
            wsClients.forEach(HttpClient::shutdownNow);
            wsExecutor.shutdownNow();
        }
        ProcessStats.Sample targetAfter = pid == null ? null : ProcessStats.read(pid);
        ProcessStats.Sample upstreamAfter = upstreamPid == null ? null : ProcessStats.read(upstreamPid);
        LoadReport.AbortLatency abortLatency = o.abortAfter() > 0 ? AbortProbe.measure(o, tally, abortLogFrom) : null;
        ProcessStats.Sample selfAfter = ProcessStats.read(self);

        double elapsed = (t1 - t0) / 1e9;
        long chunks = tally.chunks.sum();
        int maxOpen = tally.maxOpen.get();
        LoadReport.Config config = new LoadReport.Config(
                o.target().toString(),
                o.protocol().wireName(),
                o.streams(),
                o.rate(),
                o.tokens(),
                o.duration() == null ? null : o.duration().toNanos() / 1e9,
                o.chunkSize(),
                o.ttftMs(),
                o.slowReader(),
                o.readPause().toMillis(),
                o.backpressure(),
                o.fault().toString(),
                o.faultEvery(),
                o.model(),
                o.provider(),
                o.ramp().toNanos() / 1e9,
                o.warmup().toNanos() / 1e9,
                o.abortAfter(),
                o.wsStreamsPerSocket());
        LoadReport.Streams streams = new LoadReport.Streams(
                tally.started.sum(),
                tally.completed.sum(),
                tally.aborted.sum(),
                tally.errors.sum(),
                tally.truncated.sum(),
                maxOpen,
                tally.connects.sum());
        long perStream = o.abortAfter() > 0 ? Math.min(o.tokens(), o.abortAfter()) : o.tokens();
        LoadReport.Chunks chunkStats = new LoadReport.Chunks(
                chunks,
                tally.started.sum() * perStream,
                tally.missing.sum(),
                tally.outOfOrder.sum(),
                chunks / elapsed,
                o.offeredChunksPerSecond(),
                tally.bytes.sum());
        LoadReport.Latencies latencies = new LoadReport.Latencies(
                LoadReport.Latency.of(tally.chunkLatency.snapshot()),
                LoadReport.Latency.of(tally.ttfcAdded.snapshot()),
                LoadReport.Latency.of(tally.ttfc.snapshot()));
        long measuredFrom;
        long measuredChunks;
        long selfCpuFrom;
        long targetCpuFrom;
        long upstreamCpuFrom;
        synchronized (warm) {
            measuredFrom = warm[0];
            measuredChunks = chunks - warm[1];
            selfCpuFrom = warm[2];
            targetCpuFrom = warm[3];
            upstreamCpuFrom = warm[4];
        }
        double measured = (t1 - measuredFrom) / 1e9;
        LoadReport.ProcessUsage target = pid == null
                ? null
                : usage(
                        pid,
                        targetCpuFrom,
                        targetBefore,
                        targetAfter,
                        sampler.targetRssMax,
                        measured,
                        measuredChunks,
                        maxOpen);
        LoadReport.ProcessUsage selfUsage =
                usage(self, selfCpuFrom, selfBefore, selfAfter, sampler.selfRssMax, measured, measuredChunks, -1);
        LoadReport.ProcessUsage upstreamUsage = upstreamPid == null
                ? null
                : usage(upstreamPid, upstreamCpuFrom, upstreamBefore, upstreamAfter, 0, measured, measuredChunks, -1);
        return new LoadReport(
                o.label(),
                startedAt,
                config,
                LoadReport.Machine.current(),
                elapsed,
                streams,
                chunkStats,
                latencies,
                tally.reasons(),
                tally.samples(),
                target,
                selfUsage,
                abortLatency,
                upstreamUsage);
    }

    private static LoadReport.ProcessUsage usage(
            long pid,
            long cpuFrom,
            ProcessStats.Sample before,
            ProcessStats.Sample after,
            long rssMax,
            double elapsed,
            long chunks,
            int perStreams) {
        double cpu = after == null || cpuFrom < 0 || after.cpuNanos() < 0 ? 0 : (after.cpuNanos() - cpuFrom) / 1e9;
        Double perCpu = cpu > 0 && chunks > 0 ? round(chunks / cpu, 0) : null;
        Double per10k = cpu > 0 && chunks > 0 ? round(cpu / chunks * 10_000, 4) : null;
        Double rssBefore = before == null || before.rssBytes() < 0 ? null : mb(before.rssBytes());
        Double max = rssMax <= 0 ? null : mb(Math.max(rssMax, after == null ? 0 : after.rssBytes()));
        Double peak = after == null || after.hwmBytes() < 0 ? null : mb(after.hwmBytes());
        Double perStream = perStreams > 0 && rssBefore != null && max != null
                ? round((max - rssBefore) * 1024 / perStreams, 1)
                : null;
        return new LoadReport.ProcessUsage(
                pid, round(cpu, 3), round(cpu / elapsed * 100, 1), perCpu, per10k, rssBefore, max, peak, perStream);
    }

    private static double mb(long bytes) {
        return round(bytes / (1024.0 * 1024.0), 1);
    }

    private static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long remaining;
        while ((remaining = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(remaining / 1_000_000, (int) (remaining % 1_000_000));
        }
    }

    /** Samples resident memory of the target and of this process. */
    private static final class Sampler implements Runnable {
        private final Long pid;
        private final long self;
        private volatile boolean stopped;
        volatile long targetRssMax;
        volatile long selfRssMax;

        Sampler(Long pid, long self) {
            this.pid = pid;
            this.self = self;
        }

        void stop() {
            stopped = true;
        }

        @Override
        public void run() {
            while (!stopped) {
                if (pid != null) {
                    targetRssMax = Math.max(targetRssMax, ProcessStats.rssBytes(pid));
                }
                selfRssMax = Math.max(selfRssMax, ProcessStats.rssBytes(self));
                try {
                    Thread.sleep(SAMPLE_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
