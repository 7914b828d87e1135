package io.aistream.server.memory;

/**
 * What the gateway does with an {@link OutOfMemoryError} it catches: it never answers it like an ordinary
 * failure (a 500 would leave a process that cannot allocate running on), but hands it to the thread's
 * uncaught-exception handler, the process's policy. {@code aistream serve} installs one that ends the
 * process so that a supervisor restarts it; its launcher also passes {@code -XX:+ExitOnOutOfMemoryError},
 * which ends it before anything is caught.
 */
public final class OutOfMemory {
    private OutOfMemory() {}

    /** If {@code failure} is an out-of-memory error, reports it to the current thread's uncaught handler. */
    public static void report(Throwable failure) {
        if (failure instanceof OutOfMemoryError) {
            Thread self = Thread.currentThread();
            self.getUncaughtExceptionHandler().uncaughtException(self, failure);
        }
    }
}
