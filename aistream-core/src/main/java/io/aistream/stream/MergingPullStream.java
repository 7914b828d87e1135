package io.aistream.stream;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link StreamOperators#merge}. One reader virtual thread per source; each may hold one item in
 * the shared queue ({@code holding[i]}) and reads its next item only after the consumer took it.
 */
final class MergingPullStream<T> implements PullStream<T> {
    private record Item<T>(int source, T value) {}

    private final List<PullStream<? extends T>> sources;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // guarded by lock
    private final ArrayDeque<Item<T>> queue = new ArrayDeque<>();
    private final boolean[] holding;
    private int open;
    private boolean started;
    private boolean closed;
    private boolean sourcesClosed;
    private Throwable failure;

    MergingPullStream(List<PullStream<? extends T>> sources) {
        this.sources = sources;
        this.holding = new boolean[sources.size()];
        this.open = sources.size();
    }

    @Override
    public Optional<T> next() {
        lock.lock();
        try {
            if (!started && !closed) {
                started = true;
                for (int i = 0; i < sources.size(); i++) {
                    int index = i;
                    Thread.ofVirtual().name("aistream-merge-reader-" + i).start(() -> readLoop(index));
                }
            }
            while (true) {
                if (closed) {
                    return Optional.empty();
                }
                Item<T> item = queue.poll();
                if (item != null) {
                    holding[item.source()] = false;
                    changed.signalAll();
                    return Optional.of(item.value());
                }
                if (failure != null) {
                    throw OperatorSupport.rethrow(failure);
                }
                if (open == 0) {
                    return Optional.empty();
                }
                changed.await();
            }
        } catch (InterruptedException e) {
            throw OperatorSupport.interrupted(e, "merge");
        } finally {
            lock.unlock();
        }
    }

    private void readLoop(int index) {
        PullStream<? extends T> source = sources.get(index);
        while (true) {
            lock.lock();
            try {
                while (!closed && failure == null && holding[index]) {
                    changed.awaitUninterruptibly();
                }
                if (closed || failure != null) {
                    return;
                }
            } finally {
                lock.unlock();
            }
            Optional<? extends T> item;
            try {
                item = source.next();
            } catch (Throwable t) {
                boolean first;
                lock.lock();
                try {
                    first = !closed && failure == null;
                    if (first) {
                        failure = t;
                        changed.signalAll();
                    }
                } finally {
                    lock.unlock();
                }
                if (first) {
                    try {
                        closeSources();
                    } catch (RuntimeException closeFailure) {
                        t.addSuppressed(closeFailure);
                    }
                }
                return;
            }
            lock.lock();
            try {
                if (closed || failure != null) {
                    return;
                }
                if (item.isEmpty()) {
                    open--;
                    changed.signalAll();
                    return;
                }
                queue.add(new Item<>(index, item.get()));
                holding[index] = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            queue.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        closeSources();
    }

    /** Closes every source once; a close that throws does not stop the others. */
    private void closeSources() {
        lock.lock();
        try {
            if (sourcesClosed) {
                return;
            }
            sourcesClosed = true;
        } finally {
            lock.unlock();
        }
        RuntimeException first = null;
        for (PullStream<? extends T> s : sources) {
            try {
                s.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
