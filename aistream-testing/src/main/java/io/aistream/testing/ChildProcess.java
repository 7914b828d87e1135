package io.aistream.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One run of a system program (redis-server, nginx) for the tests: its merged stdout and stderr go to a
 * {@link BoundedLog} (one platform daemon thread reads them), a JVM shutdown hook kills it if the tests end
 * without closing it, and it can be stopped gracefully, killed, paused and resumed. Thread-safe.
 */
final class ChildProcess {
    private final String name;
    private final Process process;
    private final BoundedLog log;
    private final CompletableFuture<Void> outputEnded = new CompletableFuture<>();
    private final Thread killOnExit;

    private ChildProcess(String name, Process process, BoundedLog log) {
        this.name = name;
        this.process = process;
        this.log = log;
        ProcessHandle handle = process.toHandle();
        this.killOnExit = new Thread(handle::destroyForcibly, name + "-kill-on-exit");
        Runtime.getRuntime().addShutdownHook(killOnExit);
        Thread.ofPlatform().daemon().name(name + "-output-" + process.pid()).start(this::pump);
    }

    /** Starts {@code command} in {@code workDir}; its output is appended to {@code log}. */
    static ChildProcess start(String name, List<String> command, Path workDir, BoundedLog log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        pb.redirectErrorStream(true);
        return new ChildProcess(name, pb.start(), log);
    }

    private void pump() {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                log.append(line);
            }
        } catch (IOException e) {
            // the process ended
        } finally {
            outputEnded.complete(null);
            log.wake();
        }
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /**
     * SIGTERM, then waits up to {@code grace} for the exit; a process still running then is killed and this
     * throws. Returns the exit status.
     */
    int terminate(Duration grace) throws InterruptedException {
        // the handle, not Process.destroy(): that also closes our end of the pipes, and the last words are lost
        process.toHandle().destroy();
        Signals.contIfStopped(process.toHandle());
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new IllegalStateException(name + " ignored SIGTERM for " + grace + "; killed it:\n" + log.tail(40));
        }
        return ended();
    }

    /** SIGKILL, then waits for the exit (and the end of its output). Returns the exit status. */
    int kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor();
        return ended();
    }

    /** SIGSTOP: it keeps its sockets but answers nothing until {@link #resume()}. */
    void pause() {
        Signals.stop(process.toHandle());
    }

    /** SIGCONT after {@link #pause()}. */
    void resume() {
        Signals.cont(process.toHandle());
    }

    private int ended() throws InterruptedException {
        try {
            // a grandchild holding the pipe could keep it open; the exit status is what matters then
            outputEnded.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // keep what was read
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException e) {
            // the JVM is shutting down already
        }
        return process.exitValue();
    }
}
