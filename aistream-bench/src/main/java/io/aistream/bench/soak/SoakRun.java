package io.aistream.bench.soak;

import io.aistream.bench.load.LoadGenerator;
import io.aistream.bench.load.LoadOptions;
import io.aistream.bench.load.LoadReport;
import io.aistream.bench.load.Protocol;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A whole soak against a running gateway: warm-up traffic, a settle wait, a full GC and the baseline
 * sample; then {@code duration} of mixed traffic (paced OpenAI and native streams, client aborts,
 * slow readers under each backpressure strategy, WebSocket streams, resumable streams resumed and
 * abandoned, periodic floods); then the drain wait, a full GC and the final sample, checked against
 * the baseline by {@link BaselineCheck}. A sampler thread reads the gateway every {@code sample}
 * throughout. Writes {@code samples.csv}, {@code soak.svg}, {@code summary.txt} and the load
 * generator's reports into {@code out}. One instance runs once, on the calling thread.
 *
 * @param target      the gateway
 * @param upstream    the fake upstream behind its {@code bench} provider (for abort timing)
 * @param pid         the gateway's process id
 * @param duration    how long the mixed traffic runs
 * @param sample      the sampling interval
 * @param warmup      how long the warm-up traffic runs (same mix, scaled down)
 * @param drain       the longest wait for streams to end and retained bytes to drain
 * @param floodEvery  the interval between floods during the traffic
 * @param floodSize   streams per flood
 * @param scale       multiplies every stream count of the mix
 * @param out         the results folder
 */
public record SoakRun(
        URI target,
        URI upstream,
        long pid,
        Duration duration,
        Duration sample,
        Duration warmup,
        Duration drain,
        Duration floodEvery,
        int floodSize,
        double scale,
        Path out) {

    /** The outcome: the per-figure results and whether all passed. */
    public record Outcome(boolean pass, List<String> lines) {}

    private static final String[] STRATEGIES = {"block", "buffer", "drop", "coalesce"};

    /** Runs the soak; progress lines go to {@code log}. */
    public Outcome run(PrintStream log) throws InterruptedException, IOException {
        Files.createDirectories(out);
        GatewaySampler sampler = new GatewaySampler(target, pid);
        BaselineCheck check = BaselineCheck.soakDefaults();
        List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
        long t0 = System.nanoTime();
        Phase phase = new Phase();
        try (BufferedWriter csv = Files.newBufferedWriter(out.resolve("samples.csv"), StandardCharsets.UTF_8)) {
            csv.write(Sample.CSV_HEADER);
            csv.newLine();
            Recorder rec = new Recorder(sampler, samples, csv, t0, log);
            Thread ticker = Thread.ofPlatform().daemon().name("soak-sampler").start(() -> {
                long next = System.nanoTime();
                try {
                    while (true) {
                        rec.take(phase.name);
                        next += sample.toNanos();
                        TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
                    }
                } catch (InterruptedException e) {
                    // stopped
                }
            });
            try {
                phase.name = "warm-up";
                log.println("warm-up: " + warmup.toSeconds() + " s of the mix at a fifth of its size");
                traffic(
                        warmup,
                        Math.max(scale / 5, 0.05),
                        Duration.ZERO,
                        Math.max(floodSize / 5, 1),
                        phase,
                        log,
                        "warmup");
                phase.name = "settle";
                Sample settled = settle(rec, check, null, log);
                gc(log);
                Sample baseline = rec.take("baseline");
                double idleBase = idlePoolThreads();
                log.println("baseline: " + baseline.toCsv() + (settled == null ? " (did not settle)" : ""));
                log.println("traffic: " + duration.toSeconds() + " s, a flood of " + floodSize + " every "
                        + floodEvery.toSeconds() + " s");
                traffic(duration, scale, floodEvery, floodSize, phase, log, "soak");
                phase.name = "drain";
                settle(rec, check, baseline, log);
                gc(log);
                Sample end = rec.take("final");
                double idleEnd = idlePoolThreads();
                ticker.interrupt();
                ticker.join();
                List<Sample> all = List.copyOf(samples);
                // Jetty's pool retires workers only after its idle timeout (60 s): those a late flood
                // added may still be there after the drain. They are bounded by its maximum and parked
                // waiting for work, so the thread check leaves them out (and says how many).
                List<BaselineCheck.Result> results =
                        check.evaluate(baseline.withoutThreads(idleBase), end.withoutThreads(idleEnd), all);
                List<String> lines = new ArrayList<>();
                lines.add(String.format(
                        Locale.ROOT,
                        "INFO idle Jetty pool workers (left out of both thread figures): baseline %.0f, end %.0f",
                        idleBase,
                        idleEnd));
                for (BaselineCheck.Result r : results) {
                    lines.add(r.line());
                }
                boolean pass = BaselineCheck.allPass(results);
                lines.add(
                        pass
                                ? "PASS: every checked figure is back at its baseline"
                                : "FAIL: a figure did not come back to its baseline");
                String title = String.format(
                        Locale.ROOT,
                        "aistream soak: %d s mixed traffic, sampled every %d s — %s",
                        duration.toSeconds(),
                        sample.toSeconds(),
                        pass ? "PASS" : "FAIL");
                Files.writeString(out.resolve("soak.svg"), SoakChart.render(all, baseline, title));
                return new Outcome(pass, lines);
            } finally {
                ticker.interrupt();
            }
        }
    }

    /** The current phase's name, read by the sampler thread. */
    private static final class Phase {
        volatile String name = "warm-up";
    }

    /** Takes samples and appends them to the CSV and the list (thread-safe). */
    private record Recorder(
            GatewaySampler sampler, List<Sample> samples, BufferedWriter csv, long t0, PrintStream log) {
        Sample take(String phase) throws InterruptedException {
            Sample s = sampler.read((System.nanoTime() - t0) / 1e9, phase);
            synchronized (this) {
                samples.add(s);
                try {
                    csv.write(s.toCsv());
                    csv.newLine();
                    csv.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return s;
        }
    }

    /**
     * Polls the gateway every second until no stream is active and nothing is retained (and, with a
     * baseline, threads and fds are within their tolerance), at most {@link #drain}. Returns the
     * settled reading, or null on timeout (the check then fails on the figures that stayed up).
     */
    private Sample settle(Recorder rec, BaselineCheck check, Sample baseline, PrintStream log)
            throws InterruptedException {
        long deadline = System.nanoTime() + drain.toNanos();
        Sample s;
        do {
            s = rec.sampler().read((System.nanoTime() - rec.t0()) / 1e9, "poll");
            boolean quiet = s.activeStreams() == 0 && s.retainedBytes() == 0;
            if (quiet && (baseline == null || check.settled(baseline, s))) {
                log.printf(
                        Locale.ROOT,
                        "settled after %.0f s of waiting%n",
                        drain.toSeconds() - (deadline - System.nanoTime()) / 1e9);
                return s;
            }
            TimeUnit.SECONDS.sleep(1);
        } while (System.nanoTime() < deadline);
        log.println("not settled after " + drain.toSeconds() + " s: " + s.toCsv());
        return null;
    }

    /**
     * A full GC in the gateway ({@code jcmd PID GC.run}, with the gateway's own JDK), so heap used
     * before and after is comparable; skipped with a note when jcmd is not there.
     */
    private void gc(PrintStream log) throws InterruptedException {
        Path jcmd = jcmd();
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroy();
                log.println("jcmd GC.run did not succeed: heap is compared without a full GC");
            }
        } catch (IOException e) {
            log.println("no jcmd (" + e.getMessage() + "): heap is compared without a full GC");
        }
    }

    /**
     * The gateway's Jetty pool workers parked waiting for a job ({@code jcmd PID Thread.print}:
     * stacks in {@code QueuedThreadPool$Runner.idleJobPoll}); NaN when jcmd cannot tell.
     */
    private double idlePoolThreads() throws InterruptedException {
        try {
            Process p = new ProcessBuilder(jcmd().toString(), Long.toString(pid), "Thread.print")
                    .redirectErrorStream(true)
                    .start();
            String dump = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return Double.NaN;
            }
            return countIdleWorkers(dump);
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    /** Threads of a thread dump whose stack is in Jetty's idle job poll. */
    static int countIdleWorkers(String threadDump) {
        int n = 0;
        for (int i = threadDump.indexOf("QueuedThreadPool$Runner.idleJobPoll");
                i >= 0;
                i = threadDump.indexOf("QueuedThreadPool$Runner.idleJobPoll", i + 1)) {
            n++;
        }
        return n;
    }

    private Path jcmd() {
        Optional<String> java = ProcessHandle.of(pid).flatMap(h -> h.info().command());
        Path jcmd = java.map(j -> Path.of(j).resolveSibling("jcmd")).orElse(Path.of("jcmd"));
        return Files.isExecutable(jcmd) ? jcmd : Path.of("jcmd");
    }

    /** Runs the mix for {@code d} (floods every {@code every} unless zero, then one at the start). */
    private void traffic(Duration d, double s, Duration every, int flood, Phase phase, PrintStream log, String tag)
            throws InterruptedException, IOException {
        long deadline = System.nanoTime() + d.toNanos();
        List<LoadOptions> loads = new ArrayList<>();
        loads.add(load(tag + "-openai", Protocol.OPENAI, n(30, s), d)
                .model("bench/m")
                .modelParams(true)
                .build());
        loads.add(load(tag + "-native", Protocol.NATIVE, n(30, s), d).build());
        loads.add(load(tag + "-aborts", Protocol.NATIVE, n(10, s), d)
                .rate(50)
                .tokens(1000)
                .abortAfter(5)
                .upstream(upstream)
                .build());
        for (String strategy : STRATEGIES) {
            loads.add(load(tag + "-slow-" + strategy, Protocol.NATIVE, n(3, s), d)
                    .rate(50)
                    .tokens(100)
                    .backpressure(strategy)
                    .slowReader(true)
                    .readPause(Duration.ofMillis(200))
                    .readBytes(256)
                    .build());
        }
        loads.add(load(tag + "-ws", Protocol.WS, n(10, s), d)
                .wsStreamsPerSocket(5)
                .build());
        List<Thread> threads = new ArrayList<>();
        List<String> results = Collections.synchronizedList(new ArrayList<>());
        for (LoadOptions o : loads) {
            threads.add(Thread.ofPlatform().name("soak-" + o.label()).start(() -> {
                try {
                    LoadReport r = LoadGenerator.run(o, line -> {});
                    Files.writeString(out.resolve(o.label() + ".json"), r.toJson());
                    LoadReport.Streams st = r.streams();
                    results.add(o.label() + ": " + st);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (IOException | RuntimeException e) {
                    results.add(o.label() + ": failed: " + e);
                }
            }));
        }
        try (ResumeTraffic resume = new ResumeTraffic(target)) {
            for (int i = 0; i < n(2, s); i++) {
                threads.add(Thread.ofVirtual()
                        .start(() -> runQuietly(() -> resume.resumableLoop(true, 200, 40, 10, deadline))));
                threads.add(Thread.ofVirtual()
                        .start(() -> runQuietly(() -> resume.resumableLoop(false, 200, 40, 10, deadline))));
            }
            long nextFlood = System.nanoTime() + (every.isZero() ? 0 : every.toNanos() / 2);
            while (System.nanoTime() < deadline) {
                long now = System.nanoTime();
                if (now >= nextFlood) {
                    phase.name = "flood";
                    long t = System.nanoTime();
                    resume.flood(flood, Math.max(1, flood / 4), 10_000);
                    log.printf(
                            Locale.ROOT,
                            "flood of %d in %.1f s; %s%n",
                            flood,
                            (System.nanoTime() - t) / 1e9,
                            resume.summary());
                    phase.name = tag.equals("warmup") ? "warm-up" : "traffic";
                    nextFlood = every.isZero() ? Long.MAX_VALUE : nextFlood + every.toNanos();
                } else {
                    phase.name = tag.equals("warmup") ? "warm-up" : "traffic";
                    TimeUnit.NANOSECONDS.sleep(Math.min(deadline, nextFlood) - now);
                }
            }
            for (Thread t : threads) {
                t.join();
            }
            results.add(tag + "-resumable: " + resume.summary());
        }
        List<String> lines = new ArrayList<>(results);
        Collections.sort(lines);
        Files.write(out.resolve(tag + "-traffic.txt"), lines, StandardCharsets.UTF_8);
        lines.forEach(line -> log.println("  " + line));
    }

    private interface Body {
        void run() throws InterruptedException;
    }

    private static void runQuietly(Body b) {
        try {
            b.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int n(int base, double s) {
        return Math.max(1, (int) Math.round(base * s));
    }

    private LoadOptions.Builder load(String label, Protocol p, int streams, Duration d) {
        return LoadOptions.builder(target)
                .protocol(p)
                .streams(streams)
                .rate(20)
                .tokens(100)
                .duration(d)
                .ramp(Duration.ofSeconds(2))
                .timeout(Duration.ofSeconds(60))
                .label(label);
    }
}
