package io.aistream.bench.upstream;

/** Prints this JVM's {@link System#nanoTime()}; run as a separate process by {@link StampTest}. */
public final class ClockProbe {
    private ClockProbe() {}

    public static void main(String[] args) {
        System.out.println(System.nanoTime());
    }
}
