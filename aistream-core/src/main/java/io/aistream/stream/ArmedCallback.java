package io.aistream.stream;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The callback a {@link SourceReadiness} consumer armed through {@code onReady}, held by a source until something
 * wakes it: bytes arrived, a time limit passed, the source was cancelled. Whoever wakes it first runs it; it
 * runs at most once per arming, and a new arming replaces one that has not run.
 *
 * <p><b>Threading.</b> Any thread may arm, disarm and wake, concurrently; the callback runs on the thread
 * that woke it.
 */
public final class ArmedCallback {
    private final AtomicReference<Runnable> armed = new AtomicReference<>();
    private final Runnable waker = this::wake;

    /** Nothing armed yet. */
    public ArmedCallback() {}

    /** Arms {@code callback}, replacing one armed before that has not run. */
    public void arm(Runnable callback) {
        armed.set(callback);
    }

    /** Forgets the armed callback: a wake afterwards runs nothing. */
    public void disarm() {
        armed.set(null);
    }

    /** Runs the armed callback, if any, once (it is disarmed first). */
    public void wake() {
        Runnable callback = armed.getAndSet(null);
        if (callback != null) {
            callback.run();
        }
    }

    /**
     * {@link #wake()} as one {@code Runnable}, made once: a wrapper arms it on its inner source for every
     * chunk without allocating.
     */
    public Runnable waker() {
        return waker;
    }
}
