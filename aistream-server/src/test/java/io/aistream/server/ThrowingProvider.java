package io.aistream.server;

import io.aistream.provider.ChatProvider;
import io.aistream.request.ChatRequest;
import io.aistream.stream.ChunkSource;
import java.util.List;

/** A provider whose open() fails with a message no client may see. */
final class ThrowingProvider implements ChatProvider {
    static final String SECRET = "sk-live-DO-NOT-LEAK";

    @Override
    public String name() {
        return "broken";
    }

    @Override
    public List<String> models() {
        return List.of();
    }

    @Override
    public ChunkSource open(ChatRequest request) {
        throw new IllegalStateException("upstream rejected key " + SECRET);
    }
}
