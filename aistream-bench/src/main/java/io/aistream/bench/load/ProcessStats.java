package io.aistream.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * CPU time and memory of a process, from Linux {@code /proc}: {@code stat} (utime + stime, in clock
 * ticks of 1/100 s — Linux's fixed USER_HZ) and {@code status} (VmRSS, VmHWM). Elsewhere CPU time
 * falls back to {@link ProcessHandle.Info#totalCpuDuration()} and memory is unknown (-1).
 */
public final class ProcessStats {
    private static final long NANOS_PER_TICK = 10_000_000L;

    private ProcessStats() {}

    /**
     * One reading.
     *
     * @param cpuNanos user + system CPU time so far, or -1 if unknown
     * @param rssBytes resident set size now, or -1
     * @param hwmBytes peak resident set size since the process started, or -1
     */
    public record Sample(long cpuNanos, long rssBytes, long hwmBytes) {}

    /** Whether a process with this id is alive. */
    public static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Reads the process now; null if it does not exist. */
    public static Sample read(long pid) {
        long cpu = cpuNanos(pid);
        long rss = -1;
        long hwm = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kilobytes(line) * 1024;
                } else if (line.startsWith("VmHWM:")) {
                    hwm = kilobytes(line) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            if (cpu < 0 && !alive(pid)) {
                return null;
            }
        }
        return new Sample(cpu, rss, hwm);
    }

    /** Resident set size now, cheaply (for frequent sampling); -1 if unknown. */
    public static long rssBytes(long pid) {
        try {
            // statm: size resident shared ... in pages
            String statm = Files.readString(Path.of("/proc", Long.toString(pid), "statm"));
            String[] f = statm.trim().split(" ");
            return Long.parseLong(f[1]) * 4096;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** User + system CPU nanoseconds of the process so far, or -1 if unknown. */
    public static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ": state is field 3, utime field 14, stime field 15
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.of(pid)
                    .flatMap(h -> h.info().totalCpuDuration())
                    .map(Duration::toNanos)
                    .orElse(-1L);
        }
    }

    private static long kilobytes(String line) {
        String[] f = line.trim().split("\\s+");
        return Long.parseLong(f[1]);
    }
}
