package io.aistream.provider.transport.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The selector threads shared by every {@link SocketHttpTransport} of the process: one {@link IoLoop} per
 * available processor (or the system property {@code aistream.upstream.ioThreads}), started on first use,
 * each connection bound to one of them round-robin when it is first read without blocking. They wait for
 * readable upstream sockets and run the callbacks the consumers armed; a gateway's relay runs each chunk's
 * whole path there (read, decode, encode, the client write), so fewer loops than cores would leave cores
 * idle while a loop falls behind (measured: one loop on 2 cores delivered 16k of 20k chunks/s offered).
 */
final class IoLoops {
    private static final AtomicInteger NEXT = new AtomicInteger();

    private IoLoops() {}

    /** Holder idiom: the loops start when the first connection is watched, not when the class loads. */
    private static final class Shared {
        static final IoLoop[] LOOPS = start(count());

        private static int count() {
            int cores = Runtime.getRuntime().availableProcessors();
            return Math.max(1, Math.min(64, Integer.getInteger("aistream.upstream.ioThreads", cores)));
        }

        private static IoLoop[] start(int n) {
            IoLoop[] loops = new IoLoop[n];
            for (int i = 0; i < n; i++) {
                loops[i] = new IoLoop(i);
            }
            return loops;
        }
    }

    /** The next loop, round-robin. */
    static IoLoop next() {
        IoLoop[] loops = Shared.LOOPS;
        return loops[Math.floorMod(NEXT.getAndIncrement(), loops.length)];
    }

    /** How many loops there are (starts them). */
    static int size() {
        return Shared.LOOPS.length;
    }
}
