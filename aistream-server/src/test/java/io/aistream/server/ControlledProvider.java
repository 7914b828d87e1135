package io.aistream.server;

import io.aistream.provider.ChatProvider;
import io.aistream.request.ChatRequest;
import io.aistream.stream.ChunkSource;
import io.aistream.testing.ControlledSource;
import io.aistream.testing.ControlledSources;
import java.util.List;

/**
 * A provider ("test") whose streams the test drives by hand: every opened source is a
 * {@link ControlledSource} handed to the test ({@link #nextSource()}), which then emits chunks, ends
 * it, and waits for its cancellation. Thread-safe (the gateway opens, the test takes).
 */
final class ControlledProvider implements ChatProvider {
    static final String NAME = "test";

    private final ControlledSources sources = new ControlledSources();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> models() {
        return List.of("script", "other");
    }

    @Override
    public ChunkSource open(ChatRequest request) {
        return sources.open();
    }

    /** The next source a request opened, waiting for it up to {@link ControlledSources#GUARD}. */
    ControlledSource nextSource() {
        return sources.nextSource();
    }
}
