package io.aistream.server;

import io.aistream.provider.ChatProvider;
import io.aistream.request.ChatRequest;
import io.aistream.stream.ChunkSource;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A provider ("ready") whose every stream is a {@link ReadySource} handed to the test. Thread-safe. */
final class ReadyProvider implements ChatProvider {
    static final String NAME = "ready";

    private final LinkedBlockingQueue<ReadySource> opened = new LinkedBlockingQueue<>();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> models() {
        return List.of("m");
    }

    @Override
    public ChunkSource open(ChatRequest request) {
        ReadySource source = new ReadySource();
        opened.add(source);
        return source;
    }

    /** The next source a request opened, waiting for it up to 10 s. */
    ReadySource nextSource() throws InterruptedException {
        ReadySource source = opened.poll(10, TimeUnit.SECONDS);
        if (source == null) {
            throw new AssertionError("no stream was opened");
        }
        return source;
    }
}
