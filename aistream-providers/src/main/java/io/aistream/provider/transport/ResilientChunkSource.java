package io.aistream.provider.transport;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.chunk.UnknownChunk;
import io.aistream.chunk.Usage;
import io.aistream.request.ChatRequest;
import io.aistream.stream.ArmedCallback;
import io.aistream.stream.ChunkSource;
import io.aistream.stream.ChunkSources;
import io.aistream.stream.SourceReadiness;
import io.aistream.stream.TimeSource;
import io.aistream.stream.Timeouts;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/**
 * {@link ProviderStreams#open} and {@link ProviderStreams#openContinuation}: attempts over a chain of
 * targets, with retry, fallback and continuation. A source built with text already sent starts in
 * the continued state (that text as the assistant prefix, the repeat filter on, reasoning hidden,
 * the done recovered) without counting a continuation. Everything but {@link #cancel()} and
 * {@link #fillDone} runs on the consuming thread; the fields under "shared with cancel" are guarded
 * by {@code lock}.
 *
 * <p><b>Usage is the bill of all attempts.</b> The usage on the done chunk (the source's own, or
 * one {@link #fillDone} fills in after an abort) is the sum ({@link Usage#plus}) of the usage every
 * attempt reported: a failed attempt's usage so far, taken from its source when it is closed, plus
 * the last attempt's (its done's usage, or its usage so far). Attempts that reported nothing add
 * nothing; when none reported anything the usage stays empty (unknown).
 */
final class ResilientChunkSource implements ChunkSource {
    /** How many chunks are read past an error while looking for its done (the decoder sends it next). */
    private static final int MAX_CHUNKS_TO_DONE = 64;

    private final List<Target> chain;
    private final ChatRequest request;
    private final RetryPolicy retry;
    private final AttemptObserver observer;
    private final RecoveryPolicy recovery;
    private final Timeouts attemptLimits;
    private final TimeSource time;
    private final UpstreamClient client;

    // consumer thread only
    private final ArrayDeque<StreamChunk> pending = new ArrayDeque<>();
    private final List<Failure> failures = new ArrayList<>();
    /** Written by the consuming thread only; volatile so {@link #fillDone} names the current target. */
    private volatile int targetIndex;

    private int attemptsOnTarget;
    private Duration delayBeforeNext = Duration.ZERO;
    private boolean attemptHasOutput;
    private boolean toolCallsEmitted;
    private final StringBuilder sentText = new StringBuilder();
    private int continuations;
    /** Started as the continuation of an answer someone else delivered (a takeover), not a failure. */
    private final boolean takenOver;

    private RepeatFilter repeatFilter;
    private boolean finished;
    /** The attempt whose next result a readiness poll pulled but left to {@link #next()}; null when none. */
    private ChunkSource stashedFrom;

    private Optional<StreamChunk> stashedChunk;
    private Exception stashedFailure;
    /** The callback an event loop armed through {@link #readiness()}. */
    private final ArmedCallback armed = new ArmedCallback();

    // shared with cancel
    private final Object lock = new Object();
    private ChunkSource current;
    private CompletableFuture<Void> backoff;
    private boolean cancelled;
    /** The summed usage of the attempts already closed; null while none reported any. */
    private Usage spent;

    ResilientChunkSource(List<Target> chain, ChatRequest request, StreamOptions options) {
        this(chain, request, options, null);
    }

    /**
     * @param alreadySent the answer text the consumer already has, or null for a fresh stream: the
     *                    source then yields only what follows it
     */
    ResilientChunkSource(List<Target> chain, ChatRequest request, StreamOptions options, String alreadySent) {
        this.takenOver = alreadySent != null;
        if (takenOver) {
            sentText.append(alreadySent);
            repeatFilter = new RepeatFilter(alreadySent);
        }
        this.chain = chain;
        this.request = request;
        this.retry = options.retry();
        this.observer = options.observer();
        this.recovery = options.recovery();
        this.attemptLimits = options.attemptTimeouts();
        this.time = options.time();
        this.client = options.client();
    }

    @Override
    public Optional<StreamChunk> next() throws InterruptedException {
        while (true) {
            StreamChunk ready = pending.poll();
            if (ready != null) {
                return Optional.of(ready);
            }
            if (finished || isCancelled()) {
                return Optional.empty();
            }
            ChunkSource source = currentSource();
            if (source == null) {
                startAttempt();
                continue;
            }
            Optional<StreamChunk> chunk;
            try {
                chunk = pull(source);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                if (isCancelled()) {
                    return Optional.empty();
                }
                fail(Failure.of(e, target()), null);
                continue;
            }
            if (isCancelled()) {
                return Optional.empty();
            }
            if (chunk.isEmpty()) {
                fail(Failure.endedEarly(target()), null);
            } else {
                accept(chunk.get());
            }
        }
    }

    /** The attempt's next result: the one a readiness poll pulled and left for this thread, if any. */
    private Optional<StreamChunk> pull(ChunkSource source) throws Exception {
        if (stashedFrom != source) {
            return source.next();
        }
        stashedFrom = null;
        Exception failure = stashedFailure;
        Optional<StreamChunk> chunk = stashedChunk;
        stashedFailure = null;
        stashedChunk = null;
        if (failure != null) {
            throw failure;
        }
        return chunk;
    }

    /**
     * Offered only while an attempt is streaming (it delivered its first chunk) and its source offers
     * readiness. {@code poll()} pulls the attempt's chunks that arrived and takes them as {@link #next()}
     * would while they are ordinary ones; an error chunk, an early end or a failure (which may retry, fall
     * back, recover, or read on to the done) is left for {@code next()} and answered {@code NEEDS_THREAD},
     * as is any later attempt. A {@link #cancel()} runs the armed callback.
     */
    @Override
    public Optional<SourceReadiness> readiness() {
        ChunkSource source = currentSource();
        if (source == null || !attemptHasOutput || finished || stashedFrom != null) {
            return Optional.empty();
        }
        return source.readiness().map(r -> new AttemptReadiness(source, r));
    }

    private final class AttemptReadiness implements SourceReadiness {
        private final ChunkSource source;
        private final SourceReadiness inner;

        AttemptReadiness(ChunkSource source, SourceReadiness inner) {
            this.source = source;
            this.inner = inner;
        }

        @Override
        public State poll() {
            while (true) {
                if (!pending.isEmpty() || finished || isCancelled()) {
                    return State.READY;
                }
                if (stashedFrom != null || currentSource() != source) {
                    return State.NEEDS_THREAD;
                }
                State state = inner.poll();
                if (state != State.READY) {
                    return state;
                }
                Optional<StreamChunk> chunk;
                try {
                    chunk = source.next(); // READY: returns at once
                } catch (Exception e) {
                    stash(null, e);
                    return State.NEEDS_THREAD;
                }
                if (isCancelled()) {
                    return State.READY;
                }
                if (chunk.isEmpty() || chunk.get() instanceof ErrorChunk) {
                    stash(chunk, null);
                    return State.NEEDS_THREAD;
                }
                accept(chunk.get());
            }
        }

        private void stash(Optional<StreamChunk> chunk, Exception failure) {
            stashedFrom = source;
            stashedChunk = chunk;
            stashedFailure = failure;
        }

        @Override
        public void onReady(Runnable callback) {
            armed.arm(callback);
            if (!pending.isEmpty() || finished || isCancelled() || stashedFrom != null) {
                armed.wake();
                return;
            }
            inner.onReady(armed.waker());
            if (isCancelled()) {
                armed.wake();
            }
        }

        @Override
        public void release() {
            armed.disarm();
            inner.release();
        }
    }

    private void accept(StreamChunk chunk) {
        switch (chunk) {
            case ContentChunk c -> {
                attemptHasOutput = true;
                emitText(repeatFilter == null ? c.delta() : repeatFilter.accept(c.delta()));
            }
            case ReasoningChunk r -> {
                attemptHasOutput = true;
                if (!continued()) { // a continuation thinks again; that is not shown twice
                    pending.add(r);
                }
            }
            case ToolCallChunk t -> {
                attemptHasOutput = true;
                releaseHeldText();
                toolCallsEmitted = true;
                pending.add(t);
            }
            case ErrorChunk e -> fail(Failure.of(e, target()), e);
            case DoneChunk d -> {
                releaseHeldText();
                finish(d.withRecovered(continued()));
            }
            case UnknownChunk u -> pending.add(u); // providers make none; passed on like any non-delta chunk
        }
    }

    private void emitText(String text) {
        if (!text.isEmpty()) {
            sentText.append(text);
            pending.add(ContentChunk.of(text));
        }
    }

    private void releaseHeldText() {
        if (repeatFilter != null) {
            emitText(repeatFilter.release());
        }
    }

    /** An attempt failed: retry, fall back, continue, or end the stream. */
    private void fail(Failure failure, ErrorChunk chunk) {
        failures.add(failure);
        if (!attemptHasOutput) {
            closeCurrent();
            planNextAttempt(failure);
            return;
        }
        if (failure.retryable() && !toolCallsEmitted && recovery.allowsContinuation(continuations)) {
            closeCurrent();
            continuations++;
            observer.continuing(failure.provider(), failure.code());
            // Text a previous continuation still holds back is a repeat of what was sent: dropped.
            repeatFilter = new RepeatFilter(sentText.toString());
            attemptsOnTarget = 0;
            delayBeforeNext = Duration.ZERO;
            return;
        }
        releaseHeldText();
        pending.add(chunk != null ? chunk : failure.toChunk(failure.message()));
        DoneChunk done = chunk != null ? doneAfterError() : null;
        finish(done != null ? done.withFinishReason(FinishReason.ERROR) : DoneChunk.of(FinishReason.ERROR));
    }

    /** The done that follows an error chunk in the current attempt (it carries the usage so far). */
    private DoneChunk doneAfterError() {
        ChunkSource source = currentSource();
        for (int i = 0; source != null && i < MAX_CHUNKS_TO_DONE; i++) {
            try {
                Optional<StreamChunk> chunk = source.next();
                if (chunk.isEmpty()) {
                    return null;
                }
                if (chunk.get() instanceof DoneChunk d) {
                    return d;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            } catch (Exception e) {
                return null;
            }
        }
        return null;
    }

    private void planNextAttempt(Failure failure) {
        if (failure.retryable() && attemptsOnTarget < retry.maxAttempts()) {
            delayBeforeNext = retry.delayBefore(attemptsOnTarget, failure.retryAfter());
            observer.retrying(failure.provider(), failure.code(), delayBeforeNext);
            return;
        }
        targetIndex++;
        attemptsOnTarget = 0;
        delayBeforeNext = Duration.ZERO;
        if (targetIndex >= chain.size()) {
            targetIndex = chain.size() - 1; // done() metadata names the last target
            giveUp(failure);
        } else {
            observer.fallingBack(
                    chain.get(targetIndex - 1).provider(),
                    chain.get(targetIndex).provider(),
                    failure.code());
        }
    }

    private void giveUp(Failure last) {
        String attempts = failures.stream().map(Failure::summary).collect(Collectors.joining("; "));
        String message = last.message() + " [" + (failures.size() == 1 ? "1 attempt" : failures.size() + " attempts")
                + " failed: " + attempts + "]";
        pending.add(last.toChunk(message));
        finish(DoneChunk.of(FinishReason.ERROR));
    }

    /** Ends the stream with {@code done}, completing its metadata; closes the current attempt. */
    private void finish(DoneChunk done) {
        if (done.usage().isPresent()) {
            closeCurrent(false); // the done's usage is the attempt's whole usage: not counted twice
            addSpent(done.usage());
        } else {
            closeCurrent();
        }
        Target t = target();
        DoneChunk complete = done.withMetadata(
                Optional.ofNullable(spent()),
                Optional.of(done.provider().orElse(t.provider())),
                Optional.of(done.model().orElse(t.model())));
        if (complete.finishReason() == FinishReason.ERROR) {
            complete = complete.withRecovered(false);
        }
        pending.add(complete);
        finished = true;
    }

    /**
     * The summed usage of every attempt so far (the running one's usage so far included) where
     * {@code done} has none; the current target's provider and model where it names none. Any thread.
     */
    @Override
    public DoneChunk fillDone(DoneChunk done) {
        Usage total;
        ChunkSource running;
        synchronized (lock) {
            total = spent;
            running = current;
        }
        Optional<Usage> billed = Optional.ofNullable(running != null ? plus(total, usageSoFar(running)) : total);
        Target t = target();
        return done.withMetadata(
                done.usage().or(() -> billed),
                done.provider().or(() -> Optional.of(t.provider())),
                done.model().or(() -> Optional.of(t.model())));
    }

    private static Optional<Usage> usageSoFar(ChunkSource source) {
        try {
            return source.fillDone(DoneChunk.of(FinishReason.ABORTED)).usage();
        } catch (RuntimeException e) {
            return Optional.empty(); // a source that cannot tell adds nothing to the bill
        }
    }

    private static Usage plus(Usage sum, Optional<Usage> more) {
        if (more.isEmpty()) {
            return sum;
        }
        return sum == null ? more.get() : sum.plus(more.get());
    }

    private void addSpent(Optional<Usage> more) {
        synchronized (lock) {
            spent = plus(spent, more);
        }
    }

    private Usage spent() {
        synchronized (lock) {
            return spent;
        }
    }

    private void startAttempt() throws InterruptedException {
        if (!delayBeforeNext.isZero()) {
            Duration delay = delayBeforeNext;
            delayBeforeNext = Duration.ZERO;
            if (!await(delay)) {
                return;
            }
        }
        Target t = target();
        attemptsOnTarget++;
        attemptHasOutput = false;
        ChunkSource source;
        try {
            ChatRequest resolved = t.resolve(request);
            if (continued() && !sentText.isEmpty()) {
                resolved = Continuation.of(
                        resolved, sentText.toString(), t.protocol().supportsAssistantPrefill());
            }
            source = ChunkSources.withTimeouts(
                    client.open(t.protocol(), t.config(), resolved, observer), attemptLimits, time);
        } catch (RuntimeException e) {
            fail(Failure.of(e, t), null);
            return;
        }
        synchronized (lock) {
            if (!cancelled) {
                current = source;
                return;
            }
        }
        source.close();
    }

    /** Waits {@code delay} on the time source; false if cancelled meanwhile. */
    private boolean await(Duration delay) throws InterruptedException {
        CompletableFuture<Void> wait = new CompletableFuture<>();
        synchronized (lock) {
            if (cancelled) {
                return false;
            }
            backoff = wait;
        }
        TimeSource.Cancellable timer = time.schedule(delay, () -> wait.complete(null));
        try {
            wait.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a backoff wait never fails", e);
        } finally {
            timer.cancel();
            synchronized (lock) {
                backoff = null;
            }
        }
        return !isCancelled();
    }

    /** Whether this stream continues an answer: after a failure, or from its start (a takeover). */
    private boolean continued() {
        return takenOver || continuations > 0;
    }

    private Target target() {
        return chain.get(targetIndex);
    }

    private ChunkSource currentSource() {
        synchronized (lock) {
            return current;
        }
    }

    /** Closes the current attempt, adding the usage it reported so far to the bill. */
    private void closeCurrent() {
        closeCurrent(true);
    }

    private void closeCurrent(boolean countUsage) {
        ChunkSource source;
        synchronized (lock) {
            source = current;
            if (source != null && countUsage) {
                // counted and forgotten in one step, so a concurrent fillDone never sees it twice or not at all
                spent = plus(spent, usageSoFar(source));
            }
            current = null;
        }
        if (source != null) {
            source.close();
        }
    }

    private boolean isCancelled() {
        synchronized (lock) {
            return cancelled;
        }
    }

    @Override
    public void cancel() {
        ChunkSource source;
        CompletableFuture<Void> wait;
        synchronized (lock) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            source = current;
            wait = backoff;
        }
        if (wait != null) {
            wait.complete(null);
        }
        if (source != null) {
            source.cancel();
        }
        armed.wake();
    }

    @Override
    public void close() {
        cancel();
        closeCurrent();
    }
}
