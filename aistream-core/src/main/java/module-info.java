/**
 * aistream core: the chunk model, the SSE codec and controlled streams.
 *
 * <p>Only API packages are exported; {@code io.aistream.internal} is not.
 */
module io.aistream.core {
    requires transitive tools.jackson.databind;

    exports io.aistream;
    exports io.aistream.chunk;
    exports io.aistream.json;
    exports io.aistream.request;
    exports io.aistream.sse;
    exports io.aistream.stream;
}
