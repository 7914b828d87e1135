package io.aistream.provider.transport.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The selector threads shared by every {@link SocketHttpTransport} of the process: {@code max(1,
 * availableProcessors / 2)} {@link IoLoop}s, started on first use, each connection bound to one of them
 * round-robin when it is first read without blocking. They only wait for readable upstream sockets and
 * run the (short) callbacks the consumers armed; reading and decoding stay on the consumer's thread.
 */
final class IoLoops {
    private static final AtomicInteger NEXT = new AtomicInteger();

    private IoLoops() {}

    /** Holder idiom: the loops start when the first connection is watched, not when the class loads. */
    private static final class Shared {
        static final IoLoop[] LOOPS = start(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));

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
