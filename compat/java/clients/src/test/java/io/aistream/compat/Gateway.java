package io.aistream.compat;

import static org.awaitility.Awaitility.await;

import io.aistream.testing.GatewayProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The gateway the clients talk to (a real {@code aistream serve}, {@link GatewayProcess}), and what every
 * client's scenarios share: the prompts, the tool and its result, and the abort check.
 */
final class Gateway {
    /** The simulated provider a little faster than its default 40 tokens/s, so that the suite stays short. */
    static final String CONFIG = "{\"simulated\": {\"tokensPerSecond\": 100}}";

    static final String ECHO = "simulated/echo";
    static final String TOOLS = "simulated/tools";
    static final String REASONING = "simulated/reasoning";
    static final String UNKNOWN = "simulated/no-such-model";

    static final String PROMPT = "hello there from a java client";
    static final String TOOL = "get_weather";
    static final String TOOL_DESCRIPTION = "The current weather in a city";
    /** What the tool answers; simulated/tools quotes it in its final answer. */
    static final String TOOL_RESULT = "Sunny and 21 degrees in Paris";

    /** An answer this long takes 30 s at 100 tokens/s: an abort lands long before it ends. */
    static final String LONG_PROMPT =
            IntStream.range(0, 3000).mapToObj(i -> "word" + i).collect(Collectors.joining(" "));

    /** The counter the gateway raises when a stream's upstream is cancelled (every cause). */
    static final String ABORTS = "aistream_aborts_total";

    private Gateway() {}

    static GatewayProcess start() throws IOException {
        return GatewayProcess.start(GatewayProcess.Options.defaults().withConfig(CONFIG));
    }

    static double aborts(GatewayProcess g) throws IOException {
        return g.metricSum(ABORTS);
    }

    /** Waits until the gateway counted an abort since {@code before} (a scrape of {@link #ABORTS}). */
    static String awaitAbort(GatewayProcess g, double before) {
        await("the gateway counts the abort (" + ABORTS + " > " + before + ")")
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> aborts(g) > before);
        return "cancelled mid-stream; the gateway cancelled the upstream (" + ABORTS + " rose)";
    }

    /** The words of the echo prompt in the order sent, for comparing with what arrived. */
    static String normalize(String s) {
        return s.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    /** The first throwable in the cause chain of {@code t} that is a {@code type}, or null. */
    static <T extends Throwable> T cause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }

    /** A one-line detail for an error a client surfaced. */
    static String describe(Throwable e) {
        String m = String.valueOf(e.getMessage()).strip();
        return e.getClass().getSimpleName() + ": " + (m.length() > 200 ? m.substring(0, 199) + "…" : m);
    }
}
