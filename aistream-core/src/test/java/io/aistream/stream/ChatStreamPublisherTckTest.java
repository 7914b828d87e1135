package io.aistream.stream;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import java.util.Optional;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;

/**
 * The Reactive Streams TCK against {@link ChatStream#publisher()} (TestNG, run by JUnit's TestNG
 * engine). TestNG needs the class public; its superclass lives on the class path, hence "exports".
 */
@SuppressWarnings("exports")
public class ChatStreamPublisherTckTest extends FlowPublisherVerification<StreamChunk> {

    /** Expected signals may take up to 1 s on a loaded machine; "no signal" is checked for 300 ms. */
    public ChatStreamPublisherTckTest() {
        super(new TestEnvironment(1000, 300));
    }

    /**
     * A publisher of exactly {@code elements} chunks: {@code elements - 1} content chunks and the done.
     * A ChatStream always ends with a done, so the only ChatStream that emits nothing is one already
     * closed; its publisher completes at once, which is the empty publisher the TCK asks for at 0.
     * The source is lazy, so the TCK's huge element counts cost nothing until requested.
     */
    @Override
    public Flow.Publisher<StreamChunk> createFlowPublisher(long elements) {
        ChatStream stream = ChatStream.builder(new CountingSource(elements - 1)).build();
        if (elements == 0) {
            stream.close();
        }
        return stream.publisher();
    }

    /**
     * Errors of the model or the upstream are chunks, not {@code onError}; the bridge signals
     * {@code onError} only for its own failures. The one a test can provoke: a publisher whose stream
     * already has a subscriber rejects every further one.
     */
    @Override
    public Flow.Publisher<StreamChunk> createFailedFlowPublisher() {
        ChatStream stream = ChatStream.builder(new CountingSource(3)).build();
        Flow.Publisher<StreamChunk> publisher = stream.publisher();
        publisher.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.cancel();
            }

            @Override
            public void onNext(StreamChunk item) {}

            @Override
            public void onError(Throwable throwable) {}

            @Override
            public void onComplete() {}
        });
        return publisher;
    }

    /** Emits {@code contents} content chunks, then a done; produces each only when asked. */
    private static final class CountingSource implements ChunkSource {
        private final long contents;
        private long emitted;

        CountingSource(long contents) {
            this.contents = contents;
        }

        @Override
        public Optional<StreamChunk> next() {
            if (emitted < contents) {
                return Optional.of(ContentChunk.of(Long.toString(emitted++)));
            }
            if (emitted++ == contents) {
                return Optional.of(DoneChunk.of(FinishReason.STOP));
            }
            return Optional.empty();
        }

        @Override
        public void cancel() {}
    }
}
