package io.aistream.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;

/**
 * Makes an {@link OutOfMemoryError} end the gateway's process, so that a supervisor restarts it, rather
 * than leave it running half-dead. The launcher passes {@code -XX:+ExitOnOutOfMemoryError}, which covers
 * every thread and every catch block; for a JVM started without it, an uncaught out-of-memory error still
 * halts the process (exit status {@value #EXIT_STATUS}) and the start-up log says how to do better.
 */
final class OutOfMemoryExit {
    /** The exit status after an out-of-memory error. */
    static final int EXIT_STATUS = 3;

    private OutOfMemoryExit() {}

    /**
     * Installs the default uncaught-exception handler, which writes to the process's standard error (once
     * per JVM is enough; later calls replace it), and says on {@code warnings} when the JVM flag is missing.
     */
    static void install(PrintStream warnings) {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        if (previous instanceof Handler) {
            previous = null;
        }
        Thread.setDefaultUncaughtExceptionHandler(new Handler(previous));
        if (!flagSet()) {
            warnings.println("aistream: the JVM runs without -XX:+ExitOnOutOfMemoryError; the launcher sets it"
                    + " (add it to your own java command so that a supervisor can restart a gateway out of memory)");
        }
    }

    private record Handler(Thread.UncaughtExceptionHandler previous) implements Thread.UncaughtExceptionHandler {
        @Override
        public void uncaughtException(Thread thread, Throwable failure) {
            PrintStream err = System.err;
            if (failure instanceof OutOfMemoryError) {
                err.println("aistream: out of memory in thread " + thread.getName() + "; exiting");
                err.flush();
                Runtime.getRuntime().halt(EXIT_STATUS);
            }
            if (previous != null) {
                previous.uncaughtException(thread, failure);
            } else {
                err.println("aistream: uncaught " + failure + " in thread " + thread.getName());
                failure.printStackTrace(err);
            }
        }
    }

    /** Whether the JVM exits on its own at the first out-of-memory error. */
    static boolean flagSet() {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return hotspot != null
                    && Boolean.parseBoolean(
                            hotspot.getVMOption("ExitOnOutOfMemoryError").getValue());
        } catch (RuntimeException e) {
            return false; // not a HotSpot JVM: only the handler above applies
        }
    }
}
