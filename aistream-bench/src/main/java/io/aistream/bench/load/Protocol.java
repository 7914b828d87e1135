package io.aistream.bench.load;

import java.util.Locale;

/** How the load generator talks to the target. */
public enum Protocol {
    /** OpenAI Chat Completions streaming: {@code POST /v1/chat/completions}, {@code chat.completion.chunk} events. */
    OPENAI("/v1/chat/completions"),
    /** aistream's native SSE: {@code POST /v1/stream}, native chunks, {@code data: [DONE]}. */
    NATIVE("/v1/stream"),
    /** aistream's WebSocket: {@code GET /v1/ws}, {@code start} messages, chunks tagged with their stream. */
    WS("/v1/ws"),
    /**
     * The AI SDK UI message stream (what {@code useChat} reads): {@code POST /v1/ui/chat} with one UI
     * user message and no chat id, {@code text-delta} events, {@code data: [DONE]}.
     */
    UI("/v1/ui/chat");

    private final String path;

    Protocol(String path) {
        this.path = path;
    }

    /** The endpoint path, from the API root. */
    public String path() {
        return path;
    }

    /** The lower-case name used on the command line and in reports. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Protocol parse(String s) {
        for (Protocol p : values()) {
            if (p.wireName().equalsIgnoreCase(s.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("protocol must be openai, native, ws or ui, not '" + s + "'");
    }
}
