package io.aistream.provider.spi;

/** How a provider frames its streaming response body. */
public enum WireFormat {
    /** {@code text/event-stream}. */
    SSE("Server-Sent Events"),
    /** One JSON object per line ({@code application/x-ndjson}). */
    NDJSON("NDJSON"),
    /** One JSON array written incrementally (Gemini without {@code alt=sse}). */
    JSON_ARRAY("a JSON array"),
    /** AWS {@code application/vnd.amazon.eventstream} binary frames. */
    EVENT_STREAM("an AWS event stream");

    private final String label;

    WireFormat(String label) {
        this.label = label;
    }

    /** The format's name in messages, e.g. {@code Server-Sent Events}. */
    public String label() {
        return label;
    }
}
