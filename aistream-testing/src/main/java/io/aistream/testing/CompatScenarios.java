package io.aistream.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * What every client's scenarios of the compatibility matrix share (see {@link CompatResults}): the gateway they
 * talk to, the models and prompts, the tool and its result, and the abort check. Uses {@code java.base} only.
 *
 * <ul>
 *   <li>text: {@link #ECHO} echoes {@link #PROMPT}, in more than one delta;
 *   <li>tools: {@link #TOOLS} calls the offered tool {@link #TOOL}; the client sends {@link #TOOL_RESULT} back
 *       and the answer quotes it;
 *   <li>abort: the client cancels {@link #LONG_PROMPT}'s echo at its first text, and {@link #awaitAbort} sees the
 *       gateway cancel the upstream;
 *   <li>unknown model: {@link #UNKNOWN} is a 404 that names it;
 *   <li>thinking: {@link #REASONING} streams reasoning text, then the answer.
 * </ul>
 */
public final class CompatScenarios {
    /** The simulated provider a little faster than its default 40 tokens/s, so that the suites stay short. */
    public static final String CONFIG = "{\"simulated\": {\"tokensPerSecond\": 100}}";

    /** Echoes the last user message word by word. */
    public static final String ECHO = "simulated/echo";
    /** Calls the first offered tool, then answers quoting the tool's result. */
    public static final String TOOLS = "simulated/tools";
    /** Reasoning text, then an answer. */
    public static final String REASONING = "simulated/reasoning";
    /** A model the gateway does not serve. */
    public static final String UNKNOWN = "simulated/no-such-model";

    /** The text scenario's user message. */
    public static final String PROMPT = "hello there from a java client";
    /** The tools scenario's user message. */
    public static final String TOOL_QUESTION = "What is the weather in Paris?";
    /** The tool's name; its one parameter is the string {@code city}. */
    public static final String TOOL = "get_weather";
    /** The tool's description. */
    public static final String TOOL_DESCRIPTION = "The current weather in a city";
    /** What the tool answers; simulated/tools quotes it in its final answer. */
    public static final String TOOL_RESULT = "Sunny and 21 degrees in Paris";

    /** An echo this long takes 30 s at 100 tokens/s: an abort lands long before it ends. */
    public static final String LONG_PROMPT =
            IntStream.range(0, 3000).mapToObj(i -> "word" + i).collect(Collectors.joining(" "));

    /** The counter the gateway raises when a stream's upstream is cancelled (every cause). */
    public static final String ABORTS = "aistream_aborts_total";

    /** How long {@link #awaitAbort} waits. */
    public static final Duration ABORT_WAIT = Duration.ofSeconds(20);

    private CompatScenarios() {}

    /** Starts the gateway the scenarios expect ({@link #CONFIG}, the default jar). */
    public static GatewayProcess startGateway() throws IOException {
        return GatewayProcess.start(GatewayProcess.Options.defaults().withConfig(CONFIG));
    }

    /** The gateway's abort count now, to compare with after a cancel. */
    public static double aborts(GatewayProcess gateway) throws IOException {
        return gateway.metricSum(ABORTS);
    }

    /**
     * Waits until the gateway counted an abort since {@code before} (scraping {@link #ABORTS} every 50 ms, at
     * most {@link #ABORT_WAIT}); returns the detail for the row.
     *
     * @throws AssertionError when no abort was counted in time
     */
    public static String awaitAbort(GatewayProcess gateway, double before) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + ABORT_WAIT.toNanos();
        double now;
        while ((now = aborts(gateway)) <= before) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the gateway counted no abort in " + ABORT_WAIT.toSeconds() + " s (" + ABORTS
                        + " stayed " + now + "): the client's cancel did not reach it");
            }
            Thread.sleep(50);
        }
        return "cancelled mid-stream; the gateway cancelled the upstream (" + ABORTS + " rose)";
    }

    /** {@code s} without surrounding space, inner runs of space as one, lower case. */
    public static String normalize(String s) {
        return s.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    /** The first throwable in the cause chain of {@code t} that is a {@code type}, or null. */
    public static <T extends Throwable> T cause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    /** A one-line detail for an error a client surfaced: its type and message. */
    public static String describe(Throwable e) {
        return e.getClass().getSimpleName() + ": " + CompatResults.oneLine(String.valueOf(e.getMessage()));
    }
}
