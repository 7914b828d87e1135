package io.aistream.provider.simulated;

import io.aistream.ErrorCode;
import io.aistream.chunk.ChunkError;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.Usage;
import io.aistream.stream.CancellableWait;
import io.aistream.stream.ChunkSource;
import io.aistream.stream.TimeSource;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Plays one {@link SimulatedScript}: paced on the injected clock, with the requested faults, ending
 * with {@code done} carrying usage (and {@code recovered} when it continues an answer begun elsewhere).
 * Pacing and the faults count the pieces this source plays. {@link #cancel()} wakes a paced or stalled {@code next()} at once.
 *
 * <p>Like a provider that reports its input tokens when the answer starts (Anthropic's
 * {@code message_start}), the simulation has reported its usage so far from its start: the input
 * tokens and one output token per piece played. A done it makes after a failure, and one
 * {@link #fillDone} fills after an abort, carry that usage; an overload before any output reports
 * none (a provider's 529 carries no usage).
 */
final class SimulatedSource implements ChunkSource {
    private final SimulatedScript script;
    private final SimulationSettings settings;
    private final TimeSource time;
    private final String model;
    private final long inputTokens;
    private final boolean recovered;

    private final CancellableWait wait;

    /** A chunk owed before anything else: the done after a simulated failure. */
    private StreamChunk pending;

    private long startNanos = -1;
    /** Written by the consuming thread; read by {@link #fillDone} from any thread. */
    private volatile int emitted;
    /** Whether the simulated provider has reported usage (it started without an overload). */
    private volatile boolean reported;

    private boolean finished;

    SimulatedSource(
            SimulatedScript script,
            SimulationSettings settings,
            TimeSource time,
            String model,
            long inputTokens,
            boolean recovered) {
        this.script = script;
        this.settings = settings;
        this.time = time;
        this.model = model;
        this.inputTokens = inputTokens;
        this.recovered = recovered;
        this.wait = new CancellableWait(time);
    }

    @Override
    public Optional<StreamChunk> next() throws InterruptedException {
        if (pending != null) {
            StreamChunk p = pending;
            pending = null;
            return Optional.of(p);
        }
        if (finished || wait.isCancelled()) {
            return Optional.empty();
        }
        if (startNanos < 0) {
            startNanos = time.nanoTime();
            if (settings.errorBeforeOutput()) {
                return fail(ErrorCode.UPSTREAM_OVERLOADED, "simulated overload before any output", 529);
            }
            reported = true;
        }
        if (emitted == settings.failAfter()) {
            return fail(ErrorCode.UPSTREAM_ERROR, "simulated failure after " + emitted + " chunks", 500);
        }
        if (emitted == settings.stallAfter()) {
            wait.awaitCancel();
            return Optional.empty();
        }
        if (!script.hasNext()) {
            finished = true;
            FinishReason reason = script.endsWithToolCalls() ? FinishReason.TOOL_CALLS : FinishReason.STOP;
            return Optional.of(DoneChunk.of(reason, Usage.of(inputTokens, emitted), SimulatedProvider.NAME, model)
                    .withRecovered(recovered));
        }
        if (!awaitTurn(emitted)) {
            return Optional.empty();
        }
        emitted++;
        return Optional.of(script.next());
    }

    private Optional<StreamChunk> fail(ErrorCode code, String message, int status) {
        finished = true;
        ChunkError error = new ChunkError(
                code.wireName(), message, true, Optional.of(SimulatedProvider.NAME), OptionalInt.of(status));
        pending = fillDone(DoneChunk.of(FinishReason.ERROR));
        return Optional.of(ErrorChunk.of(error));
    }

    /** Waits until piece {@code index} is due on the clock; false if cancelled meanwhile. */
    private boolean awaitTurn(int index) throws InterruptedException {
        long interval = settings.intervalNanos();
        if (interval == 0 && index % UNPACED_YIELD_EVERY == 0) {
            // unpaced, this loop never blocks: let the other virtual threads (every request, /health)
            // have the carrier now and then, or a few such streams starve the whole gateway
            Thread.yield();
        }
        long due = startNanos + index * interval;
        return wait.sleep(Duration.ofNanos(Math.max(0, due - time.nanoTime())));
    }

    /** An unpaced simulation yields its thread once per this many pieces. */
    static final int UNPACED_YIELD_EVERY = 64;

    /** The usage reported so far (none before the start or after an overload), provider and model. */
    @Override
    public DoneChunk fillDone(DoneChunk done) {
        Optional<Usage> soFar = reported ? Optional.of(Usage.of(inputTokens, emitted)) : Optional.empty();
        return done.withMetadata(
                done.usage().or(() -> soFar),
                done.provider().or(() -> Optional.of(SimulatedProvider.NAME)),
                done.model().or(() -> Optional.of(model)));
    }

    @Override
    public void cancel() {
        wait.cancel();
    }
}
