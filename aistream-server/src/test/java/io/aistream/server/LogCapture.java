package io.aistream.server;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.logging.JettyLogger;
import org.eclipse.jetty.logging.JettyLoggerFactory;
import org.eclipse.jetty.logging.StdErrAppender;
import org.slf4j.LoggerFactory;

/**
 * Captures what the gateway logs (through jetty-slf4j-impl, the SLF4J provider of the tests) while it
 * is open: the shared appender's stream is swapped for a buffer, and the given loggers are set to the
 * given levels; {@link #close()} restores both. One at a time (tests of a class run one after another).
 */
final class LogCapture implements AutoCloseable {
    private final StdErrAppender appender;
    private final PrintStream previous;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final JettyLoggerFactory factory;
    private final Map<String, String> previousLevels = new java.util.LinkedHashMap<>();

    private LogCapture(Map<String, String> levels) {
        factory = (JettyLoggerFactory) LoggerFactory.getILoggerFactory();
        JettyLogger root = factory.getJettyLogger("");
        appender = (StdErrAppender) root.getAppender();
        previous = appender.getStream();
        appender.setStream(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        levels.forEach((name, level) -> {
            previousLevels.put(name, factory.getLoggerLevel(name));
            factory.setLoggerLevel(name, level);
        });
    }

    /** Starts capturing, with these logger levels (e.g. {@code "io.aistream.server.http" → "DEBUG"}). */
    static LogCapture start(Map<String, String> levels) {
        return new LogCapture(levels);
    }

    /** The lines logged so far. */
    List<String> lines() {
        synchronized (buffer) {
            String text = buffer.toString(StandardCharsets.UTF_8);
            return text.isEmpty() ? List.of() : new ArrayList<>(Arrays.asList(text.split("\n")));
        }
    }

    /** The lines logged at WARN or ERROR, and the lines of stack traces. */
    List<String> problems() {
        return problems(0);
    }

    /** {@link #problems()} among the lines from index {@code from} on (see {@link #lines()}). */
    List<String> problems(int from) {
        List<String> all = lines();
        return all.subList(Math.min(from, all.size()), all.size()).stream()
                .filter(l -> l.contains(":WARN :")
                        || l.contains(":ERROR:")
                        || l.startsWith("\tat ")
                        || l.startsWith("Caused by"))
                .toList();
    }

    @Override
    public void close() {
        appender.setStream(previous);
        previousLevels.forEach(factory::setLoggerLevel);
    }
}
