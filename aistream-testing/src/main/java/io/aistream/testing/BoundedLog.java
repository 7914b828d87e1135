package io.aistream.testing;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The newest lines a child process wrote, at most {@code maxLines} (older ones are dropped and counted), and a
 * way to wait for the next one. Thread-safe: one thread appends, any thread reads or waits.
 */
final class BoundedLog {
    private final int maxLines;
    private final Deque<String> lines = new ArrayDeque<>();
    private long appended;
    private long dropped;

    BoundedLog(int maxLines) {
        this.maxLines = maxLines;
    }

    synchronized void append(String line) {
        lines.addLast(line);
        appended++;
        if (lines.size() > maxLines) {
            lines.removeFirst();
            dropped++;
        }
        notifyAll();
    }

    /** Lines appended so far, including dropped ones: a cursor for {@link #awaitAppendedBeyond}. */
    synchronized long appended() {
        return appended;
    }

    /**
     * Waits until more than {@code count} lines were appended, or {@code max} passed, or {@link #wake()} was
     * called: a waiter that polls a condition (a port answering) sleeps between tries on this instead of a
     * fixed interval, and so reacts to each line the process writes.
     */
    synchronized void awaitAppendedBeyond(long count, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (appended <= count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Wakes every waiter (the process ended). */
    synchronized void wake() {
        notifyAll();
    }

    synchronized String text() {
        String kept = String.join("\n", lines);
        return dropped == 0 ? kept : "[" + dropped + " older lines dropped]\n" + kept;
    }

    synchronized String tail(int count) {
        List<String> all = List.copyOf(lines);
        return String.join("\n", all.subList(Math.max(0, all.size() - count), all.size()));
    }
}
