package io.aistream.server.http;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the operator, once per origin, that {@link Cors} refused a cross-origin request, and how to
 * allow it: a browser app that the gateway refuses otherwise only sees a CORS error in its console.
 * Memory and log are bounded against a flood of invented origins: at most {@value #MAX_ORIGINS}
 * origins are remembered (each cut to {@value #MAX_ORIGIN_CHARS} characters); past that, one line says
 * that further refusals go unlogged. Thread-safe.
 */
final class RefusedOrigins {
    static final int MAX_ORIGINS = 256;
    static final int MAX_ORIGIN_CHARS = 200;
    private static final Logger LOG = LoggerFactory.getLogger(Cors.class);

    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean full = new AtomicBoolean();
    private final Consumer<String> log;

    RefusedOrigins() {
        this(LOG::info);
    }

    /** @param log where the lines go (a test's list) */
    RefusedOrigins(Consumer<String> log) {
        this.log = log;
    }

    /** Notes a refused {@code origin}; logs it the first time. */
    void refused(String origin) {
        String cut = origin.length() > MAX_ORIGIN_CHARS ? origin.substring(0, MAX_ORIGIN_CHARS) + "…" : origin;
        String shown = cut.replaceAll("\\p{Cntrl}", "?"); // a header value must not forge log lines
        if (seen.contains(shown)) {
            return;
        }
        if (seen.size() >= MAX_ORIGINS) {
            if (full.compareAndSet(false, true)) {
                log.accept("refused cross-origin requests from more than " + MAX_ORIGINS
                        + " origins; further origins are not logged");
            }
            return;
        }
        if (seen.add(shown)) {
            log.accept("refused a cross-origin request from " + shown
                    + " (403): to allow it, add it to corsOrigins in the config file, --cors-origin or "
                    + "AISTREAM_CORS_ORIGINS");
        }
    }

    /** How many origins are remembered. */
    int remembered() {
        return seen.size();
    }
}
