package io.aistream.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.bench.upstream.FakeUpstream;
import io.aistream.bench.upstream.Fault;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoadGeneratorTest {
    private static FakeUpstream upstream;

    @BeforeAll
    static void start() throws Exception {
        upstream = FakeUpstream.start();
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    private static LoadOptions.Builder options(Protocol protocol) {
        return LoadOptions.builder(URI.create(upstream.baseUrl()))
                .protocol(protocol)
                .timeout(Duration.ofSeconds(20));
    }

    @Test
    void fiftyOpenAiStreamsDirectlyAgainstTheUpstreamAllCompleteWithEveryChunk() throws Exception {
        LoadReport r = LoadGenerator.run(
                options(Protocol.OPENAI).streams(50).rate(50).tokens(20).build(), s -> {});

        assertThat(r.streams().started()).isEqualTo(50);
        assertThat(r.streams().completed()).isEqualTo(50);
        assertThat(r.streams().errors()).isZero();
        assertThat(r.streams().truncated()).isZero();
        assertThat(r.failures()).isEmpty();
        assertThat(r.chunks().received()).isEqualTo(1000).isEqualTo(r.chunks().expected());
        assertThat(r.chunks().missing()).isZero();
        assertThat(r.chunks().outOfOrder()).isZero();
        assertThat(r.latency().chunk().count()).isEqualTo(1000);
        assertThat(r.latency().ttfcAdded().count()).isEqualTo(50);
        // Loopback, no relay: a chunk is late by the write, the read and scheduling; far under a second
        // even on a loaded 2-core machine, and never negative (one monotonic clock for both processes).
        assertThat(r.latency().chunk().negatives()).isZero();
        assertThat(r.latency().chunk().p50()).isGreaterThan(0).isLessThan(100);
        assertThat(r.latency().chunk().max()).isLessThan(2000);
        // 20 chunks at 50/s take ~0.4 s per stream
        assertThat(r.elapsedSeconds()).isGreaterThan(0.35).isLessThan(20);
        assertThat(r.self().cpuSeconds()).isGreaterThanOrEqualTo(0);
        assertThat(r.toTable()).contains("50 completed").contains("added per chunk");
    }

    @Test
    void nativeSseWebSocketAndUiProtocolsCountTheSameChunks() throws Exception {
        for (Protocol p : new Protocol[] {Protocol.NATIVE, Protocol.WS, Protocol.UI}) {
            LoadReport r =
                    LoadGenerator.run(options(p).streams(10).rate(0).tokens(30).build(), s -> {});

            assertThat(r.streams().completed()).as(p.name()).isEqualTo(10);
            assertThat(r.failures()).as(p.name()).isEmpty();
            assertThat(r.chunks().received()).as(p.name()).isEqualTo(300);
            assertThat(r.chunks().missing()).as(p.name()).isZero();
        }
    }

    @Test
    void cutStreamsAreTruncationsAndTheirChunksUntilTheCutStillCount() throws Exception {
        LoadReport r = LoadGenerator.run(
                options(Protocol.OPENAI)
                        .streams(10)
                        .rate(0)
                        .tokens(20)
                        .fault(Fault.parse("cut@5"))
                        .faultEvery(2)
                        .build(),
                s -> {});

        assertThat(r.streams().truncated()).isEqualTo(5);
        assertThat(r.streams().completed()).isEqualTo(5);
        assertThat(r.streams().errors()).isZero();
        assertThat(r.chunks().received()).isEqualTo(5 * 20 + 5 * 5);
    }

    @Test
    void rateLimitedStreamsAreErrorsWithTheirStatus() throws Exception {
        LoadReport r = LoadGenerator.run(
                options(Protocol.OPENAI)
                        .streams(4)
                        .rate(0)
                        .tokens(10)
                        .fault(Fault.parse("429:3"))
                        .build(),
                s -> {});

        assertThat(r.streams().errors()).isEqualTo(4);
        assertThat(r.failures()).containsEntry("http_429", 4L);
        assertThat(r.failureSamples()).first().asString().contains("rate_limit_error");
        assertThat(r.chunks().received()).isZero();
    }

    @Test
    void webSocketErrorEventsAreErrors() throws Exception {
        LoadReport r = LoadGenerator.run(
                options(Protocol.WS)
                        .streams(3)
                        .rate(0)
                        .tokens(10)
                        .fault(Fault.parse("503"))
                        .build(),
                s -> {});

        assertThat(r.streams().errors()).isEqualTo(3);
        assertThat(r.failures()).containsEntry("error_event", 3L);
    }

    @Test
    void aDurationKeepsEachWorkerStartingStreamsOnOneConnection() throws Exception {
        LoadReport r = LoadGenerator.run(
                options(Protocol.OPENAI)
                        .streams(4)
                        .rate(0)
                        .tokens(5)
                        .duration(Duration.ofMillis(300))
                        .build(),
                s -> {});

        assertThat(r.streams().started()).isGreaterThan(8);
        assertThat(r.streams().completed()).isEqualTo(r.streams().started());
        assertThat(r.streams().connections()).isEqualTo(4);
        assertThat(r.chunks().received()).isEqualTo(r.streams().started() * 5);
    }

    @Test
    void measuresTheTargetProcessGivenItsPid() throws Exception {
        long self = ProcessHandle.current().pid(); // the fake upstream runs in this JVM
        LoadReport r = LoadGenerator.run(
                options(Protocol.OPENAI)
                        .streams(20)
                        .rate(0)
                        .tokens(200)
                        .pid(self)
                        .upstreamPid(self)
                        .build(),
                s -> {});

        assertThat(r.upstream()).as("the upstream's CPU over the same window").isNotNull();
        assertThat(r.upstream().pid()).isEqualTo(self);
        assertThat(r.upstream().cpuSeconds()).isGreaterThanOrEqualTo(0);
        assertThat(r.upstream().rssMaxMb())
                .as("only the target's memory is sampled")
                .isNull();
        assertThat(r.toTable()).contains("upstream pid " + self);
        assertThat(LoadReport.fromJson(r.toJson())).isEqualTo(r);
        assertThat(r.target()).isNotNull();
        assertThat(r.target().pid()).isEqualTo(self);
        assertThat(r.target().cpuSeconds()).isGreaterThanOrEqualTo(0);
        assertThat(r.target().rssMaxMb()).isPositive();
        assertThat(r.target().peakRssMb()).isPositive();
        assertThat(r.target().memoryPerStreamKb()).isNotNull();
    }

    @Test
    void theReportRoundTripsThroughJson() throws Exception {
        LoadReport r = LoadGenerator.run(
                options(Protocol.OPENAI)
                        .streams(2)
                        .rate(0)
                        .tokens(3)
                        .label("rt")
                        .build(),
                s -> {});

        LoadReport back = LoadReport.fromJson(r.toJson());

        assertThat(back).isEqualTo(r);
        assertThat(r.toJson()).contains("\"label\" : \"rt\"").contains("\"p99\"");
    }

    @Test
    void slowReadersReadEverythingThroughSmallPausedReads() throws Exception {
        LoadReport r = LoadGenerator.run(
                options(Protocol.OPENAI)
                        .streams(5)
                        .rate(0)
                        .tokens(40)
                        .slowReader(true)
                        .readBytes(200)
                        .readPause(Duration.ofMillis(2))
                        .build(),
                s -> {});

        assertThat(r.streams().completed()).isEqualTo(5);
        assertThat(r.chunks().received()).isEqualTo(200);
        assertThat(r.config().slowReader()).isTrue();
    }

    @Test
    void aStalledStreamIsATruncationAfterTheTimeout() throws Exception {
        LoadReport r = LoadGenerator.run(
                options(Protocol.OPENAI)
                        .streams(2)
                        .rate(0)
                        .tokens(10)
                        .fault(Fault.parse("stall@4:20000"))
                        .timeout(Duration.ofMillis(500))
                        .build(),
                s -> {});

        assertThat(r.streams().truncated()).isEqualTo(2);
        assertThat(r.failures()).containsEntry("read_timeout", 2L);
        assertThat(r.chunks().received()).isEqualTo(8);
    }

    @Test
    void aDeadTargetGivesConnectErrorsNotAHang() throws Exception {
        int port;
        try (var s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        LoadReport r = LoadGenerator.run(
                LoadOptions.builder(URI.create("http://127.0.0.1:" + port))
                        .streams(3)
                        .tokens(5)
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                s -> {});

        assertThat(r.streams().errors()).isEqualTo(3);
        assertThat(r.failures()).containsKey("connect");
    }

    @Test
    void abortAfterClosesEachStreamAndTheUpstreamNoticesOnEveryProtocol() throws Exception {
        for (Protocol p : Protocol.values()) {
            long abortedBefore = upstream.stats().streamsAborted();
            LoadReport r = LoadGenerator.run(
                    options(p).streams(6).rate(200).tokens(1000).abortAfter(3).build(), s -> {});

            assertThat(r.streams().aborted()).as(p.name()).isEqualTo(6);
            assertThat(r.streams().completed()
                            + r.streams().errors()
                            + r.streams().truncated())
                    .as(p.name())
                    .isZero();
            // every stream got its 3 chunks before the abort; how many more slipped in before the close
            // took effect depends on scheduling (a loaded machine), not on the generator: only "far from
            // all 1000" is the generator's doing
            assertThat(r.chunks().received()).as(p.name()).isBetween(18L, 6 * 1000L / 10);
            // the upstream sees every aborted stream go (at its next write, within a chunk interval or two)
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (upstream.stats().streamsAborted() - abortedBefore < 6 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(upstream.stats().streamsAborted() - abortedBefore)
                    .as(p.name())
                    .isEqualTo(6);
            assertEveryAbortHasALatency(r, 6, p.name());
            assertThat(LoadReport.fromJson(r.toJson())).as(p.name()).isEqualTo(r);
        }
    }

    /** One abort-latency sample per aborted stream, all seen by the upstream; never how small they are. */
    private static void assertEveryAbortHasALatency(LoadReport r, long aborted, String as) {
        LoadReport.AbortLatency a = r.abortLatency();
        assertThat(a).as(as).isNotNull();
        assertThat(a.problem()).as(as).isNull();
        assertThat(a.aborts()).as(as).isEqualTo(aborted);
        assertThat(a.latency().count()).as(as).isEqualTo(aborted);
        assertThat(a.unseen()).as(as).isZero();
        assertThat(a.untracked()).as(as).isZero();
        assertThat(a.latency().negatives()).as(as).isZero();
        assertThat(a.latency().p50()).as(as).isGreaterThanOrEqualTo(0);
        assertThat(a.chunkIntervalMs()).as(as).isEqualTo(5.0); // rate 200
        assertThat(r.toTable())
                .as(as)
                .contains("abort → upstream saw")
                .contains(aborted + " of " + aborted + " aborts seen by the upstream, 0 never");
    }

    @Test
    void runsWithoutAbortsHaveNoAbortLatency() throws Exception {
        LoadReport r = LoadGenerator.run(
                options(Protocol.OPENAI).streams(2).rate(0).tokens(3).build(), s -> {});

        assertThat(r.abortLatency()).isNull();
        assertThat(r.toTable()).doesNotContain("abort latency");
    }

    @Test
    void anAbortLatencyTargetWithoutAnAbortLogSaysSo() throws Exception {
        // the upstream is asked at the given URL: one that has no /aborts leaves every abort unseen
        FakeUpstream other = FakeUpstream.start();
        int port = other.port();
        other.close();
        LoadReport r = LoadGenerator.run(
                options(Protocol.OPENAI)
                        .streams(2)
                        .rate(200)
                        .tokens(1000)
                        .abortAfter(3)
                        .upstream(URI.create("http://127.0.0.1:" + port))
                        .build(),
                s -> {});

        assertThat(r.streams().aborted()).isEqualTo(2);
        assertThat(r.abortLatency().unseen()).isEqualTo(2);
        assertThat(r.abortLatency().latency().count()).isZero();
        assertThat(r.abortLatency().problem()).contains("--upstream");
        assertThat(r.toTable()).contains("0 of 2 aborts seen by the upstream, 2 never");
    }

    @Test
    void twentyWebSocketStreamsShareFourSocketsAndEachGetsItsOwnChunksInOrder() throws Exception {
        long connectionsBefore = upstream.stats().connections();
        LoadReport r = LoadGenerator.run(
                options(Protocol.WS)
                        .streams(20)
                        .wsStreamsPerSocket(5)
                        .rate(100)
                        .tokens(30)
                        .build(),
                s -> {});

        assertThat(r.streams().completed()).isEqualTo(20);
        assertThat(r.streams().maxOpen()).isEqualTo(20);
        assertThat(r.failures()).isEmpty();
        assertThat(r.chunks().received()).isEqualTo(600).isEqualTo(r.chunks().expected());
        assertThat(r.chunks().missing()).isZero();
        assertThat(r.chunks().outOfOrder()).isZero();
        assertThat(r.latency().ttfcAdded().count()).isEqualTo(20);
        assertThat(r.streams().connections()).isEqualTo(4);
        assertThat(upstream.stats().connections() - connectionsBefore).isEqualTo(4);
        assertThat(r.config().wsStreamsPerSocket()).isEqualTo(5);
        assertThat(r.toTable()).contains("5 streams per WebSocket").contains("; 4 connections");
        assertThat(LoadReport.fromJson(r.toJson())).isEqualTo(r);
    }

    @Test
    void sharedWebSocketsCarryEachWorkersNextStreamsAndAPartlyFilledLastSocket() throws Exception {
        LoadReport r = LoadGenerator.run(
                options(Protocol.WS)
                        .streams(10)
                        .wsStreamsPerSocket(4)
                        .rate(0)
                        .tokens(5)
                        .duration(Duration.ofMillis(300))
                        .build(),
                s -> {});

        assertThat(r.streams().started()).isGreaterThan(20);
        assertThat(r.streams().completed()).isEqualTo(r.streams().started());
        assertThat(r.failures()).isEmpty();
        assertThat(r.streams().connections()).isEqualTo(3); // 4 + 4 + 2 slots
        assertThat(r.chunks().received()).isEqualTo(r.streams().started() * 5);
        assertThat(r.chunks().missing()).isZero();
    }

    @Test
    void abortAfterOnSharedWebSocketsAbortsEachStreamAndNotItsNeighbours() throws Exception {
        long abortedBefore = upstream.stats().streamsAborted();
        LoadReport r = LoadGenerator.run(
                options(Protocol.WS)
                        .streams(12)
                        .wsStreamsPerSocket(4)
                        .rate(200)
                        .tokens(1000)
                        .abortAfter(3)
                        .build(),
                s -> {});

        assertThat(r.streams().aborted()).isEqualTo(12);
        assertThat(r.streams().completed() + r.streams().errors() + r.streams().truncated())
                .isZero();
        assertThat(r.failures()).isEmpty();
        assertThat(r.streams().connections()).isEqualTo(3);
        // 3 chunks each before the abort; more may slip in before the close takes effect (scheduling)
        assertThat(r.chunks().received()).isBetween(36L, 12 * 1000L / 10);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (upstream.stats().streamsAborted() - abortedBefore < 12 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(upstream.stats().streamsAborted() - abortedBefore).isEqualTo(12);
        assertEveryAbortHasALatency(r, 12, "ws shared");
    }

    @Test
    void aWebSocketCutMidStreamFailsEveryStreamOnItOnceAndNoOtherSocketsStreams() throws Exception {
        // stream 0 (whichever slot takes it) has its socket cut after 25 chunks, half a second in; the
        // other four streams on that socket are then mid-stream (100 chunks at 50/s take 2 s)
        LoadReport r = LoadGenerator.run(
                options(Protocol.WS)
                        .streams(20)
                        .wsStreamsPerSocket(5)
                        .rate(50)
                        .tokens(100)
                        .ramp(Duration.ZERO)
                        .fault(Fault.parse("cut@25"))
                        .faultEvery(20)
                        .timeout(Duration.ofSeconds(4))
                        .build(),
                s -> {});

        assertThat(r.streams().started()).isEqualTo(20);
        assertThat(r.streams().truncated()).isEqualTo(5);
        assertThat(r.streams().completed()).isEqualTo(15);
        assertThat(r.streams().errors()).isZero();
        // usually all five are "closed"; when the cut's FIN lands between two messages, the JDK's
        // WebSocket may miss it (see WsMux) and its streams end at the read timeout instead
        assertThat(r.failures().keySet()).isSubsetOf("closed", "read_timeout");
        assertThat(r.failures().values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(5);
        assertThat(r.streams().connections()).isEqualTo(4);
        assertThat(r.chunks().received()).isGreaterThanOrEqualTo(15 * 100 + 25).isLessThan(20 * 100);
        assertThat(r.chunks().missing()).isZero();
    }

    @Test
    void workersSharingADeadTargetsWebSocketEachCountAConnectError() throws Exception {
        int port;
        try (var s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        LoadReport r = LoadGenerator.run(
                LoadOptions.builder(URI.create("http://127.0.0.1:" + port))
                        .protocol(Protocol.WS)
                        .streams(6)
                        .wsStreamsPerSocket(3)
                        .tokens(5)
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                s -> {});

        assertThat(r.streams().errors()).isEqualTo(6);
        assertThat(r.failures()).containsOnlyKeys("connect");
        assertThat(r.streams().connections()).isZero();
    }

    @Test
    void sharedWebSocketsAreCheckedWhenBuilt() {
        LoadOptions.Builder b = options(Protocol.WS).streams(4);

        assertThatThrownBy(() -> b.wsStreamsPerSocket(0).build()).hasMessageContaining("--ws-streams-per-socket");
        assertThatThrownBy(() -> b.wsStreamsPerSocket(10_001).build()).hasMessageContaining("1..10000");
        assertThatThrownBy(() -> b.wsStreamsPerSocket(2).slowReader(true).build())
                .hasMessageContaining("--slow-reader")
                .hasMessageContaining("per socket");
        assertThatThrownBy(() -> options(Protocol.NATIVE).wsStreamsPerSocket(2).build())
                .hasMessageContaining("--protocol ws");
        assertThat(b.wsStreamsPerSocket(10_000).slowReader(false).build().wsSockets())
                .isEqualTo(1);
        assertThat(options(Protocol.WS)
                        .streams(10)
                        .wsStreamsPerSocket(4)
                        .build()
                        .wsSockets())
                .isEqualTo(3);
        assertThat(options(Protocol.WS).streams(10).build().wsSockets()).isEqualTo(10);
    }

    @Test
    void reportsWrittenBeforeSharedWebSocketsStillRead() throws Exception {
        LoadReport r = LoadGenerator.run(
                options(Protocol.OPENAI).streams(1).rate(0).tokens(1).build(), s -> {});
        String old = r.toJson().replaceAll(",\\s*\"wsStreamsPerSocket\" : 1", "");
        assertThat(old).doesNotContain("wsStreamsPerSocket");

        LoadReport back = LoadReport.fromJson(old);
        assertThat(back.config().wsStreamsPerSocket()).isNull();
        assertThat(back.toTable()).doesNotContain("per WebSocket");
    }
}
