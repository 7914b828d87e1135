package io.aistream.testing;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Opens {@link ControlledSource}s and hands each to the test: the core of a test provider whose
 * streams the test drives by hand. A test provider's {@code open(request)} returns {@link #open()};
 * the test takes each opened source with {@link #nextSource()}, in the order they were opened.
 *
 * <p>Thread-safe.
 */
public final class ControlledSources {
    /** How long {@link #nextSource()} waits before it fails. */
    public static final Duration GUARD = Duration.ofSeconds(10);

    private final BlockingQueue<ControlledSource> unclaimed = new LinkedBlockingQueue<>();
    private final List<ControlledSource> opened = new CopyOnWriteArrayList<>();

    /** No source opened yet. */
    public ControlledSources() {}

    /** A new source, recorded and queued for {@link #nextSource()}. */
    public ControlledSource open() {
        ControlledSource source = new ControlledSource();
        opened.add(source);
        unclaimed.add(source);
        return source;
    }

    /**
     * The next opened source the test has not taken yet, waiting up to {@link #GUARD}.
     *
     * @throws AssertionError if no source is opened in time
     */
    public ControlledSource nextSource() {
        try {
            ControlledSource s = unclaimed.poll(GUARD.toNanos(), TimeUnit.NANOSECONDS);
            if (s == null) {
                throw new AssertionError("no stream was opened within " + GUARD.toMillis() + " ms");
            }
            return s;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The next opened source the test has not taken yet, if there is one now. */
    public Optional<ControlledSource> pollSource() {
        return Optional.ofNullable(unclaimed.poll());
    }

    /** Every source opened so far, in order. */
    public List<ControlledSource> opened() {
        return List.copyOf(opened);
    }
}
