package io.aistream.provider;

import io.aistream.provider.spi.UnsupportedOptionException;
import io.aistream.provider.transport.AttemptObserver;
import io.aistream.request.ChatRequest;
import io.aistream.stream.ChunkSource;
import java.util.List;

/**
 * A named source of chat streams: an HTTP provider (a protocol, its configuration and the upstream
 * transport) or a built-in one such as {@code simulated}.
 *
 * <p>Thread-safe: many streams may be opened concurrently. Each returned {@link ChunkSource} belongs
 * to the caller, who hands it to a {@link io.aistream.stream.ChatStream} (which closes it) or closes
 * it directly.
 */
public interface ChatProvider {

    /** The name requests use to pick this provider, e.g. {@code openai} or {@code simulated}. */
    String name();

    /** Models this provider advertises (for pickers); empty when any model name is passed through. */
    List<String> models();

    /**
     * Opens one stream for {@code request}. Implementations do no blocking I/O here: the upstream
     * call starts with the source's first {@code next()}.
     *
     * @throws UnsupportedOptionException if the request uses an option this provider cannot honour
     */
    ChunkSource open(ChatRequest request);

    /**
     * Like {@link #open(ChatRequest)}, with {@code observer} hearing the stream's retries, fallbacks
     * and continuations and the provider event types its decoder skipped (a gateway counts them).
     * Providers without such attempts or decoders ignore it: the default does.
     */
    default ChunkSource open(ChatRequest request, AttemptObserver observer) {
        return open(request);
    }
}
