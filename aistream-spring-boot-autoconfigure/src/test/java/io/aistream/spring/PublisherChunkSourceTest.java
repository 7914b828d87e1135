package io.aistream.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import io.aistream.stream.ChatStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;

/** A Reactive Streams publisher of chunks as a ChatStream: bounded demand, cancel, a publisher that ignores demand. */
class PublisherChunkSourceTest {
    @Test
    void chunksArriveInOrderAndDemandStaysWithinTheWindow() {
        AtomicLong maxOutstanding = new AtomicLong();
        Publisher<StreamChunk> publisher = subscriber -> subscriber.onSubscribe(new Subscription() {
            long requested;
            int sent;

            @Override
            public void request(long n) {
                requested += n;
                maxOutstanding.accumulateAndGet(requested - sent, Math::max);
                while (sent < requested && sent < 40) {
                    sent++;
                    subscriber.onNext(ContentChunk.of("c" + sent));
                }
                if (sent == 40) {
                    sent++;
                    subscriber.onNext(DoneChunk.of(FinishReason.STOP));
                    subscriber.onComplete();
                }
            }

            @Override
            public void cancel() {}
        });
        List<StreamChunk> chunks = new ArrayList<>();
        try (ChatStream stream = AiStreamResponses.fromPublisher(publisher)) {
            stream.forEach(chunks::add);
        }
        assertThat(chunks).hasSize(41);
        assertThat(((ContentChunk) chunks.get(39)).delta()).isEqualTo("c40");
        assertThat(maxOutstanding.get()).isLessThanOrEqualTo(PublisherChunkSource.WINDOW);
    }

    @Test
    void aPublisherThatIgnoresDemandEndsTheStreamWithAnErrorAndIsCancelled() {
        AtomicBoolean cancelled = new AtomicBoolean();
        Publisher<StreamChunk> flood = subscriber -> {
            subscriber.onSubscribe(new Subscription() {
                @Override
                public void request(long n) {}

                @Override
                public void cancel() {
                    cancelled.set(true);
                }
            });
            for (int i = 0; i < 100 && !cancelled.get(); i++) {
                subscriber.onNext(ContentChunk.of("x"));
            }
        };
        List<StreamChunk> chunks = new ArrayList<>();
        try (ChatStream stream = AiStreamResponses.fromPublisher(flood)) {
            stream.forEach(chunks::add);
        }
        assertThat(cancelled).isTrue();
        assertThat(chunks.getLast()).isInstanceOf(DoneChunk.class);
        assertThat(((DoneChunk) chunks.getLast()).finishReason()).isEqualTo(FinishReason.ERROR);
        assertThat(chunks)
                .filteredOn(ErrorChunk.class::isInstance)
                .singleElement()
                .satisfies(e -> assertThat(((ErrorChunk) e).error().message()).contains("more chunks than requested"));
    }
}
