package io.aistream.provider.support;

import io.aistream.provider.spi.DecoderContext;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a decoder does with an event type it does not know: skips it, and says so — to the stream's
 * {@link io.aistream.provider.spi.DecoderObserver} every time (a gateway counts them) and in one debug
 * log line per event type. Never fatal: a provider that adds an event type must not break streams.
 *
 * <p>Not thread-safe; one per decoder. Memory stays bounded: at most {@value #MAX_LOGGED} distinct types
 * are remembered for the once-per-type log, and a type is cut to {@value #MAX_TYPE_LENGTH} characters.
 */
public final class UnknownEvents {
    /** Longest event type passed on; the rest is cut (the type comes from the upstream). */
    public static final int MAX_TYPE_LENGTH = 64;

    static final int MAX_LOGGED = 32;
    private static final Logger LOG = LoggerFactory.getLogger(UnknownEvents.class);

    private final DecoderContext context;
    private Set<String> logged;

    /** Reports for the stream {@code context} describes. */
    public UnknownEvents(DecoderContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    /** The decoder skipped an event of this type. */
    public void skipped(String eventType) {
        String type = eventType == null || eventType.isEmpty()
                ? "(none)"
                : eventType.length() > MAX_TYPE_LENGTH ? eventType.substring(0, MAX_TYPE_LENGTH) : eventType;
        context.observer().unknownEvent(context.provider(), type);
        if (logged == null) {
            logged = new HashSet<>();
        }
        if (logged.size() < MAX_LOGGED && logged.add(type) && LOG.isDebugEnabled()) {
            LOG.debug("{}: skipped an unknown event type '{}'", context.provider(), printable(type));
        }
    }

    private static String printable(String type) {
        StringBuilder b = new StringBuilder(type.length());
        for (int i = 0; i < type.length(); i++) {
            char c = type.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }
}
