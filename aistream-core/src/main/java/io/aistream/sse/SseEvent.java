package io.aistream.sse;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * One dispatched Server-Sent Event, as the WHATWG event stream interpretation defines it.
 *
 * @param event       the event type; {@code "message"} when the block set none
 * @param data        the data lines joined with {@code \n} (the final newline removed)
 * @param lastEventId the last event id at dispatch (it persists across events); {@code ""} if none
 * @param retry       the reconnection time in ms if this event's block set a valid one
 */
public record SseEvent(String event, String data, String lastEventId, OptionalLong retry) {
    public SseEvent {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(lastEventId, "lastEventId");
        Objects.requireNonNull(retry, "retry");
    }

    /** A {@code message} event with only data. */
    public static SseEvent message(String data) {
        return new SseEvent("message", data, "", OptionalLong.empty());
    }
}
