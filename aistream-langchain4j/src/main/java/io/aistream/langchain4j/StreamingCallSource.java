package io.aistream.langchain4j;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.StreamingHandle;
import io.aistream.chunk.StreamChunk;
import io.aistream.stream.ChunkSource;
import io.aistream.stream.PushChunkSource;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One LangChain4j streaming call as a chunk source: the call starts at the first pull, its handler
 * pushes into a byte-bounded {@link PushChunkSource}, and cancelling cancels the call's
 * {@link StreamingHandle} (at once if the handler has seen it, else at the first callback that brings
 * it).
 *
 * <p>Threading: the handler's callbacks come on LangChain4j's threads (one at a time per call); the
 * call starts on the consumer's thread; cancel from any thread.
 */
final class StreamingCallSource implements ChunkSource {
    private final StreamingChatModel model;
    private final ChatRequest request;
    private final PushChunkSource pipe;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicReference<StreamingHandle> handle = new AtomicReference<>();

    StreamingCallSource(StreamingChatModel model, ChatRequest request, long maxBufferedBytes) {
        this.model = model;
        this.request = request;
        this.pipe = PushChunkSource.builder()
                .maxBytes(maxBufferedBytes)
                .onDemand(this::start)
                .onCancel(this::cancelCall)
                .build();
    }

    @Override
    public Optional<StreamChunk> next() throws InterruptedException {
        return pipe.next();
    }

    @Override
    public void cancel() {
        pipe.cancel();
    }

    /** Releases the chunks; cancels the upstream only if it has not ended (see {@link PushChunkSource#close()}). */
    @Override
    public void close() {
        pipe.close();
    }

    private void start() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        try {
            model.chat(request, new ChunkingHandler(pipe, this::handle));
        } catch (RuntimeException e) {
            // a model that validates the request before streaming throws instead of calling onError
            pipe.fail(LangChain4jErrors.toChunkError(e));
        }
    }

    /** The handler saw the call's handle: keep it, and use it at once if the stream was cancelled already. */
    private void handle(StreamingHandle seen) {
        if (seen != null && handle.compareAndSet(null, seen) && pipe.isCancelled()) {
            seen.cancel();
        }
    }

    private void cancelCall() {
        StreamingHandle known = handle.get();
        if (known != null) {
            known.cancel();
        }
    }
}
