package io.aistream.springai;

import io.aistream.chunk.StreamChunk;
import io.aistream.stream.ChunkSource;
import io.aistream.stream.PushChunkSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Subscription;
import org.springframework.ai.chat.model.ChatResponse;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;

/**
 * Subscribes to the responses on the first pull and requests one response at a time, only when the
 * consumer has taken everything before it (the {@link PushChunkSource} demand hook); the chunks of
 * one response wait in the push source, so at most one response's chunks are held.
 *
 * <p>Threading: Reactor signals the subscriber one at a time on its threads; the demand hook runs on
 * the consumer's thread; cancel from any thread.
 */
final class FluxChunkSource implements ChunkSource {
    private final Flux<ChatResponse> responses;
    private final ResponseSubscriber subscriber = new ResponseSubscriber();
    private final PushChunkSource pipe;
    private final AtomicBoolean subscribed = new AtomicBoolean();
    /** Whether a request(1) is outstanding: at most one is. */
    private final AtomicBoolean requested = new AtomicBoolean();

    FluxChunkSource(Flux<ChatResponse> responses) {
        this.responses = responses;
        this.pipe = PushChunkSource.builder()
                .onDemand(this::demand)
                .onCancel(subscriber::dispose)
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

    private void demand() {
        if (subscribed.compareAndSet(false, true)) {
            requested.set(true); // hookOnSubscribe asks for the first response
            responses.subscribe(subscriber);
        } else if (requested.compareAndSet(false, true)) {
            subscriber.request(1);
        }
    }

    private final class ResponseSubscriber extends BaseSubscriber<ChatResponse> {
        private final ChatResponseMapper mapper = new ChatResponseMapper();

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            subscription.request(1);
        }

        @Override
        protected void hookOnNext(ChatResponse response) {
            // cleared before the chunks go out: once the consumer has them, its next pull may ask again
            requested.set(false);
            List<StreamChunk> chunks = mapper.map(response);
            if (chunks.isEmpty()) {
                // nothing for the consumer (e.g. a usage-only response), who may be waiting: ask on its behalf
                if (requested.compareAndSet(false, true)) {
                    request(1);
                }
                return;
            }
            for (StreamChunk chunk : chunks) {
                if (!pipe.push(chunk)) {
                    return; // ended or cancelled: the push source cancelled the subscription
                }
            }
        }

        @Override
        protected void hookOnComplete() {
            pipe.push(mapper.done());
        }

        @Override
        protected void hookOnError(Throwable failure) {
            pipe.fail(SpringAiErrors.toChunkError(failure));
        }
    }
}
