package io.aistream.server.metrics;

import io.aistream.chunk.ChunkType;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.provider.transport.AttemptObserver;
import io.aistream.server.memory.MemoryBudget;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's meters, in Prometheus form at {@code /metrics}:
 *
 * <ul>
 *   <li>{@code aistream_streams_active} — streams running now (producers, not listeners);</li>
 *   <li>{@code aistream_streams_started_total{provider,resumable}};</li>
 *   <li>{@code aistream_time_to_first_chunk_seconds{provider}} — from start to the first chunk;</li>
 *   <li>{@code aistream_chunks_total{provider,type}} — chunks produced;</li>
 *   <li>{@code aistream_chunks_dropped_total{provider}} — deltas dropped by the {@code drop} strategy;</li>
 *   <li>{@code aistream_errors_total{provider,code}} — error chunks;</li>
 *   <li>{@code aistream_cost_total{key,model}} — the summed {@code cost} of done chunks (aborted and failed
 *       streams included), in the price table's currency: {@code key} is the caller's principal
 *       ({@code key:1a2b3c4d}, a digest prefix, never the key; {@code anonymous} without API keys), {@code
 *       model} is {@code provider/model} as the done names it. Only models in the price table get a cost, so
 *       the table bounds the label values;</li>
 *   <li>{@code aistream_aborts_total{cause}} — streams aborted ({@link #ABORT_CAUSES}: client_disconnect, a
 *       WebSocket client's abort or closed socket client_abort, delete, superseded by a new answer in the same
 *       UI chat, shutdown, other), each registered at 0;</li>
 *   <li>{@code aistream_resume_requests_total{outcome}} — resume requests (ok, not_found, expired, gone, not_resumable);</li>
 *   <li>{@code aistream_retries_total{provider}} — upstream attempts retried after a failure before output;</li>
 *   <li>{@code aistream_fallbacks_total{provider}} — streams moved on to the next target of a fallback chain;</li>
 *   <li>{@code aistream_continuations_total{provider}} — streams continued after a failure mid-output;</li>
 *   <li>{@code aistream_provider_unknown_events_total{provider,event}} — upstream events a decoder did not
 *       know and skipped (a provider added an event type); at most {@value #MAX_UNKNOWN_EVENT_NAMES} distinct
 *       event names are kept, later ones are counted as {@code event="other"}.</li>
 *   <li>the JVM's and the process's own: {@code jvm_memory_used_bytes{area,id}} and the other JVM memory
 *       and thread meters, {@code process_files_open_files}, {@code process_files_max_files};</li>
 *   <li>{@code aistream_memory_budget_bytes} — the memory budget; {@code aistream_memory_retained_bytes{pool}}
 *       — bytes retained now (resume, read_ahead, websocket); {@code aistream_memory_reclaimed_bytes_total}
 *       — finished resume buffers evicted early to make room; {@code aistream_memory_squeezes_total} — chunks
 *       for which a live resume buffer evicted its oldest instead of growing;
 *       {@code aistream_streams_refused_total{reason}} — streams refused by the budget (overloaded,
 *       key_retained).</li>
 * </ul>
 *
 * <p>Per-chunk counting goes through a {@link StreamMeters} that resolved its counters once, at the
 * start of the stream: no lookups or allocation per chunk. Thread-safe.
 */
public final class GatewayMetrics {
    /** Every cause {@code aistream_aborts_total} counts; each series exists from the start, at 0. */
    public static final List<String> ABORT_CAUSES =
            List.of("client_disconnect", "client_abort", "delete", "superseded", "shutdown", "other");

    /** The event names come from upstreams: this many distinct ones are kept as tag values. */
    static final int MAX_UNKNOWN_EVENT_NAMES = 64;

    private final MeterRegistry registry;
    private final AtomicInteger active = new AtomicInteger();
    private final Set<String> unknownEventNames = ConcurrentHashMap.newKeySet();

    /** The gateway's own meters, with the JVM's and the process's, in a Prometheus registry of their own ({@link #scrape()}). */
    public GatewayMetrics(Collection<String> providers) {
        this(providers, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), true);
    }

    /**
     * The gateway's meters in a host application's registry (a Spring app's {@code MeterRegistry}, which
     * Actuator exports), under the same names.
     *
     * @param registry   where the meters are registered; the host owns and closes it
     * @param jvmMeters  whether to add the JVM and process meters too (false where the host binds its own)
     */
    public GatewayMetrics(Collection<String> providers, MeterRegistry registry, boolean jvmMeters) {
        this.registry = registry;
        if (jvmMeters) {
            // the process itself: heap, threads, open files (what a soak test and an operator watch)
            new JvmMemoryMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new FileDescriptorMetrics().bindTo(registry);
        }
        Gauge.builder("aistream.streams.active", active, AtomicInteger::get)
                .description("Streams running now")
                .register(registry);
        for (String provider : providers) {
            attemptCounter("aistream.retries", provider);
            for (ChunkType type : ChunkType.values()) {
                chunkCounter(provider, type);
            }
        }
        for (String cause : ABORT_CAUSES) {
            abortCounter(cause);
        }
    }

    /**
     * Counts the retries, fallbacks and continuations of one stream of {@code provider} (the name the
     * request used: a provider, alias or chain).
     */
    public AttemptObserver attempts(String provider) {
        return new AttemptObserver() {
            @Override
            public void retrying(String upstream, String errorCode, Duration delay) {
                attemptCounter("aistream.retries", provider).increment();
            }

            @Override
            public void fallingBack(String fromProvider, String toProvider, String errorCode) {
                attemptCounter("aistream.fallbacks", provider).increment();
            }

            @Override
            public void continuing(String upstream, String errorCode) {
                attemptCounter("aistream.continuations", provider).increment();
            }

            @Override
            public void unknownEvent(String upstream, String eventType) {
                countUnknownEvent(provider, eventType);
            }
        };
    }

    /** Counts an upstream event of {@code provider} that its decoder did not know and skipped. */
    private void countUnknownEvent(String provider, String eventType) {
        String event = eventType;
        if (!unknownEventNames.contains(event)) {
            if (unknownEventNames.size() >= MAX_UNKNOWN_EVENT_NAMES) {
                event = "other";
            } else {
                unknownEventNames.add(event);
            }
        }
        Counter.builder("aistream.provider.unknown.events")
                .description("Upstream events a decoder did not know and skipped")
                .tag("provider", provider)
                .tag("event", event)
                .register(registry)
                .increment();
    }

    private Counter attemptCounter(String name, String provider) {
        String what = switch (name) {
            case "aistream.retries" -> "Upstream attempts retried after a failure before output";
            case "aistream.fallbacks" -> "Streams moved on to the next target of a fallback chain";
            default -> "Streams continued after a failure mid-output";
        };
        return Counter.builder(name).description(what).tag("provider", provider).register(registry);
    }

    /**
     * The meters in Prometheus's text format, for {@code GET /metrics}; empty when they live in a host's
     * registry that is not a Prometheus one (the host exports them its own way).
     */
    public String scrape() {
        return registry instanceof PrometheusMeterRegistry prometheus ? prometheus.scrape() : "";
    }

    /** Counts a started stream of an anonymous caller and returns its per-chunk meters. */
    public StreamMeters started(String provider, boolean resumable) {
        return started(provider, resumable, ANONYMOUS_KEY);
    }

    /** The {@code key} label of the cost of a stream whose caller is not known. */
    public static final String ANONYMOUS_KEY = "anonymous";

    /**
     * Counts a started stream and returns its per-chunk meters.
     *
     * @param key the caller's principal (never a secret), the {@code key} label of {@code aistream_cost_total}
     */
    public StreamMeters started(String provider, boolean resumable, String key) {
        active.incrementAndGet();
        Counter.builder("aistream.streams.started")
                .description("Streams started")
                .tag("provider", provider)
                .tag("resumable", Boolean.toString(resumable))
                .register(registry)
                .increment();
        return new StreamMeters(provider, key);
    }

    /** Publishes the memory budget's figures. */
    public void memory(MemoryBudget budget) {
        Gauge.builder("aistream.memory.budget.bytes", budget, MemoryBudget::limit)
                .description("Bytes the gateway may retain for its streams")
                .register(registry);
        for (MemoryBudget.Pool pool : MemoryBudget.Pool.values()) {
            Gauge.builder("aistream.memory.retained.bytes", budget, b -> b.used(pool))
                    .description("Bytes retained for streams now, by pool")
                    .tag("pool", pool.label())
                    .register(registry);
        }
        FunctionCounter.builder("aistream.memory.reclaimed.bytes", budget, MemoryBudget::reclaimedBytes)
                .description("Bytes of finished resume buffers evicted early to make room")
                .register(registry);
        FunctionCounter.builder("aistream.memory.squeezes", budget, MemoryBudget::squeezes)
                .description("Chunks for which a live resume buffer evicted its oldest instead of growing")
                .register(registry);
        FunctionCounter.builder("aistream.streams.refused", budget, b -> b.refused(MemoryBudget.Admission.OVERLOADED))
                .description("Streams refused because the memory budget was nearly full")
                .tag("reason", "overloaded")
                .register(registry);
        FunctionCounter.builder("aistream.streams.refused", budget, b -> b.refused(MemoryBudget.Admission.KEY_FULL))
                .description("Streams refused because the memory budget was nearly full")
                .tag("reason", "key_retained")
                .register(registry);
    }

    public void aborted(String cause) {
        abortCounter(cause).increment();
    }

    public void resumeRequest(String outcome) {
        Counter.builder("aistream.resume.requests")
                .description("Resume requests by outcome")
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    private Counter abortCounter(String cause) {
        return Counter.builder("aistream.aborts")
                .description("Streams aborted, by cause")
                .tag("cause", cause)
                .register(registry);
    }

    private Counter chunkCounter(String provider, ChunkType type) {
        return Counter.builder("aistream.chunks")
                .description("Chunks produced")
                .tag("provider", provider)
                .tag("type", type.wireName())
                .register(registry);
    }

    /** One stream's meters; used by its producing thread. */
    public final class StreamMeters {
        private final String provider;
        private final String key;
        private final Counter[] chunks = new Counter[ChunkType.values().length];
        private final long startNanos = System.nanoTime();
        private boolean first = true;
        private final AtomicBoolean ended = new AtomicBoolean();

        private StreamMeters(String provider, String key) {
            this.provider = provider;
            this.key = key == null || key.isBlank() ? ANONYMOUS_KEY : key;
            for (ChunkType type : ChunkType.values()) {
                chunks[type.ordinal()] = chunkCounter(provider, type);
            }
        }

        public void chunk(StreamChunk chunk) {
            if (first) {
                first = false;
                Timer.builder("aistream.time.to.first.chunk")
                        .description("Time from stream start to its first chunk")
                        .tag("provider", provider)
                        .register(registry)
                        .record(Duration.ofNanos(System.nanoTime() - startNanos));
            }
            chunks[chunk.type().ordinal()].increment();
            if (chunk instanceof ErrorChunk e) {
                Counter.builder("aistream.errors")
                        .description("Error chunks, by code")
                        .tag("provider", provider)
                        .tag("code", e.error().code())
                        .register(registry)
                        .increment();
            } else if (chunk instanceof DoneChunk d) {
                if (d.dropped() > 0) {
                    Counter.builder("aistream.chunks.dropped")
                            .description("Deltas dropped by the drop strategy")
                            .tag("provider", provider)
                            .register(registry)
                            .increment(d.dropped());
                }
                d.cost().filter(c -> c.signum() > 0).ifPresent(cost -> cost(d, cost));
            }
        }

        private void cost(DoneChunk done, BigDecimal cost) {
            String model = done.provider().orElse(provider) + "/" + done.model().orElse("unknown");
            Counter.builder("aistream.cost")
                    .description("What the streams cost, in the price table's currency")
                    .tag("key", key)
                    .tag("model", model)
                    .register(registry)
                    .increment(cost.doubleValue());
        }

        /** The stream stopped running; idempotent, any thread. */
        public void ended() {
            if (ended.compareAndSet(false, true)) {
                active.decrementAndGet();
            }
        }
    }
}
