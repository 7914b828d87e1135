package io.aistream.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * SIGSTOP and SIGCONT for a child process, which {@link ProcessHandle} cannot send: through the system's
 * {@code kill} command. On Linux each call returns only once {@code /proc/<pid>/stat} shows the process stopped
 * (or running again), so a test that pauses a node knows it is paused.
 */
final class Signals {
    private static final Duration STATE_DEADLINE = Duration.ofSeconds(10);

    private Signals() {}

    /** Sends SIGSTOP and waits until the process is stopped. */
    static void stop(ProcessHandle process) {
        send(process, "STOP");
        awaitStopped(process, true);
    }

    /** Sends SIGCONT and waits until the process is no longer stopped. */
    static void cont(ProcessHandle process) {
        send(process, "CONT");
        awaitStopped(process, false);
    }

    /**
     * Sends SIGCONT, without waiting, if the process is stopped: a SIGTERM sent to a stopped process stays
     * pending until it runs again, so a graceful stop of a paused process calls this after the SIGTERM.
     */
    static void contIfStopped(ProcessHandle process) {
        if (isStopped(process.pid()).orElse(false) && process.isAlive()) {
            send(process, "CONT");
        }
    }

    private static void send(ProcessHandle process, String signal) {
        if (!process.isAlive()) {
            throw new IllegalStateException("process " + process.pid() + " is not running: cannot send SIG" + signal);
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .redirectErrorStream(true)
                    .start();
            String out = new String(kill.getInputStream().readNBytes(4096)).strip();
            if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("'kill -" + signal + " " + process.pid() + "' failed: " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot run 'kill -" + signal + "' (is the kill command on PATH?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending SIG" + signal, e);
        }
    }

    private static void awaitStopped(ProcessHandle process, boolean stopped) {
        long deadline = System.nanoTime() + STATE_DEADLINE.toNanos();
        while (true) {
            Optional<Boolean> now = isStopped(process.pid());
            if (now.isEmpty() || now.get() == stopped) {
                return; // no /proc (not Linux): the signal was sent, that is all we can know
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("process " + process.pid() + " did not become "
                        + (stopped ? "stopped" : "running") + " within " + STATE_DEADLINE);
            }
            // the kernel delivers the signal when it next schedules the process: microseconds
            LockSupport.parkNanos(200_000);
        }
    }

    /** Whether {@code /proc/<pid>/stat} shows the process stopped ({@code T}); empty without {@code /proc}. */
    static Optional<Boolean> isStopped(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            String s = Files.readString(stat);
            // "pid (comm) S ...": comm may contain spaces and parentheses, the state follows the last ')'
            char state = s.charAt(s.lastIndexOf(')') + 2);
            return Optional.of(state == 'T' || state == 't');
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
