package io.aistream.sse;

/**
 * An {@link SseListener} that takes an event's data as the UTF-8 bytes of the decoder's own buffer,
 * so no {@code String} is built for a payload the listener parses from bytes anyway (JSON).
 *
 * <p>An {@link SseDecoder} whose listener implements this interface calls
 * {@link #onEventData(String, byte[], int, int)} instead of {@link #onEvent(SseEvent)} for every
 * event whose data is well-formed UTF-8 (all of them, from a sane upstream); an event whose data has
 * ill-formed bytes still arrives through {@code onEvent}, decoded with U+FFFD replacements as the
 * WHATWG decoder does, so the two paths together report exactly what {@code onEvent} alone would.
 * Comments and {@code retry} fields arrive as usual. The event's last event id is the decoder's
 * {@link SseDecoder#lastEventId()} at the time of the call; its block's {@code retry}, if any, was
 * reported through {@link #onRetry(long)} before it.
 *
 * <p>Same thread and re-entrancy rules as {@link SseListener}.
 */
public interface SseDataListener extends SseListener {

    /**
     * An event was dispatched (as for {@link #onEvent(SseEvent)}) and its data is well-formed UTF-8.
     *
     * @param type the event type; {@code "message"} when the block set none. The decoder reuses the
     *             same String while the type repeats
     * @param data the decoder's buffer: the data lines joined with LF (the final newline removed) in
     *             {@code data[off..off+len)}. Valid only during this call: the decoder overwrites it
     *             afterwards, so copy what must outlive the call; never write to it
     * @param off  where the data starts
     * @param len  the data's length in bytes (0 for an event with one empty data line)
     */
    void onEventData(String type, byte[] data, int off, int len);
}
