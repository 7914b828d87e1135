package io.aistream.stream;

import static io.aistream.stream.Chunks.drain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;
import io.aistream.chunk.ChunkError;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.StreamFailedException;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.chunk.ToolCallDelta;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(20)
class ChatStreamTest {
    private static final Optional<StreamChunk> END = Optional.empty();

    private static ChatStream stream(ChunkSource source, Backpressure strategy) {
        return ChatStream.builder(source)
                .id("st_test")
                .backpressure(strategy)
                .bufferCapacity(64)
                .build();
    }

    /** Reads the stream on a virtual thread, handing over every result, the final empty one too. */
    private static BlockingQueue<Optional<StreamChunk>> consumeInBackground(ChatStream stream) {
        BlockingQueue<Optional<StreamChunk>> results = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            Optional<StreamChunk> c;
            do {
                c = stream.next();
                results.add(c);
            } while (c.isPresent());
        });
        return results;
    }

    @ParameterizedTest
    @EnumSource(Backpressure.class)
    void restampsEveryChunkWithStreamIdAndGapFreeSeq(Backpressure strategy) {
        TestSource source = TestSource.of(
                new ContentChunk("upstream", 41, "Hel"),
                new ReasoningChunk("x", 7, "hmm"),
                ToolCallChunk.of(ToolCallDelta.start(0, "call_1", "f", "{}")),
                new ContentChunk("upstream", 3, "lo"),
                DoneChunk.of(FinishReason.STOP));
        try (ChatStream s = stream(source, strategy)) {
            List<StreamChunk> chunks = drain(s);
            assertThat(chunks).extracting(StreamChunk::id).containsOnly("st_test");
            assertThat(chunks).extracting(StreamChunk::seq).containsExactly(0L, 1L, 2L, 3L, 4L);
            assertThat(Chunks.text(chunks)).isEqualTo("Hello");
        }
    }

    @Test
    void generatesDistinctStIds() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            try (ChatStream s = ChatStream.builder(TestSource.of()).build()) {
                assertThat(s.id()).startsWith("st_").hasSizeGreaterThan(10);
                ids.add(s.id());
            }
        }
        assertThat(ids).hasSize(1000);
    }

    @ParameterizedTest
    @EnumSource(Backpressure.class)
    void sourceEndingWithoutDoneYieldsIncompleteStreamThenDoneError(Backpressure strategy) {
        try (ChatStream s = stream(TestSource.of(ContentChunk.of("a")), strategy)) {
            List<StreamChunk> chunks = drain(s);
            assertThat(chunks).hasSize(3);
            assertThat(Chunks.error(chunks.get(1)).error().code()).isEqualTo("incomplete_stream");
            assertThat(Chunks.error(chunks.get(1)).error().retryable()).isTrue();
            assertThat(Chunks.lastDone(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
            assertThat(s.isDone()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Backpressure.class)
    void sourceExceptionBecomesSourceFailureErrorThenDoneError(Backpressure strategy) {
        TestSource source = TestSource.of(ContentChunk.of("a")).thenThrow(new IOException("connection reset"));
        try (ChatStream s = stream(source, strategy)) {
            List<StreamChunk> chunks = drain(s);
            assertThat(chunks)
                    .extracting(StreamChunk::type)
                    .map(Enum::name)
                    .containsExactly("CONTENT", "ERROR", "DONE");
            ChunkError error = Chunks.error(chunks.get(1)).error();
            assertThat(error.code()).isEqualTo("source_failure");
            assertThat(error.message()).isEqualTo("connection reset");
            assertThat(Chunks.lastDone(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
            assertThat(source.closes()).isEqualTo(1);
        }
    }

    @Test
    void aiStreamExceptionKeepsItsCodeAndRetryability() {
        TestSource source = TestSource.of().thenThrow(new AIStreamException(ErrorCode.RATE_LIMITED, "slow down"));
        try (ChatStream s = stream(source, Backpressure.BLOCK)) {
            ChunkError error = Chunks.error(drain(s).getFirst()).error();
            assertThat(error.code()).isEqualTo("rate_limited");
            assertThat(error.retryable()).isTrue();
            assertThat(error.message()).isEqualTo("slow down");
        }
    }

    @Test
    void streamFailedExceptionKeepsItsWholeChunkError() {
        ChunkError upstream =
                new ChunkError("upstream_overloaded", "busy", true, Optional.of("anthropic"), OptionalInt.of(529));
        try (ChatStream s =
                stream(TestSource.of().thenThrow(new StreamFailedException(upstream)), Backpressure.BLOCK)) {
            assertThat(Chunks.error(drain(s).getFirst()).error()).isEqualTo(upstream);
        }
    }

    @Test
    void errorChunkFollowedByEndGetsDoneErrorOnly() {
        ErrorChunk upstreamError = ErrorChunk.of(ChunkError.of(ErrorCode.UPSTREAM_ERROR, "bad"));
        try (ChatStream s = stream(TestSource.of(ContentChunk.of("a"), upstreamError), Backpressure.BLOCK)) {
            List<StreamChunk> chunks = drain(s);
            assertThat(chunks).hasSize(3);
            assertThat(Chunks.error(chunks.get(1)).error().code()).isEqualTo("upstream_error");
            assertThat(Chunks.lastDone(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
        }
    }

    @ParameterizedTest
    @EnumSource(Backpressure.class)
    void chunksAfterDoneAreNeverReadAndSourceIsClosedOnce(Backpressure strategy) {
        TestSource source =
                TestSource.of(ContentChunk.of("a"), DoneChunk.of(FinishReason.STOP), ContentChunk.of("late"));
        try (ChatStream s = stream(source, strategy)) {
            List<StreamChunk> chunks = drain(s);
            assertThat(Chunks.text(chunks)).isEqualTo("a");
            assertThat(chunks.getLast()).isInstanceOf(DoneChunk.class);
            await().until(() -> source.closes() == 1);
            assertThat(source.nextCalls()).isEqualTo(2);
        }
        assertThat(source.closes()).isEqualTo(1);
        assertThat(source.cancels()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Backpressure.class)
    void closeUnblocksAConsumerBlockedInNextAndCancelsTheSource(Backpressure strategy) throws InterruptedException {
        TestSource source = TestSource.of(ContentChunk.of("a")).thenBlockUntilCancelled();
        ChatStream s = stream(source, strategy);
        BlockingQueue<Optional<StreamChunk>> results = consumeInBackground(s);
        assertThat(results.take()).get().isInstanceOf(ContentChunk.class);
        await().until(() -> source.nextCalls() == 2); // the source is now blocked, so is the consumer

        s.close();

        assertThat(results.take()).isEmpty();
        assertThat(source.cancels()).isEqualTo(1);
        await().until(() -> source.closes() == 1);
        assertThat(s.isDone()).isTrue();
    }

    @Test
    void closeIsIdempotentAndClosesTheSourceOnce() {
        TestSource source = TestSource.of(ContentChunk.of("a")).thenBlockUntilCancelled();
        ChatStream s = stream(source, Backpressure.BLOCK);
        s.close();
        s.close();
        assertThat(s.next()).isEmpty();
        assertThat(s.isDone()).isTrue();
        assertThat(source.cancels()).isEqualTo(1);
        assertThat(source.closes()).isEqualTo(1);
        assertThat(source.nextCalls()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Backpressure.class)
    void abortDeliversDoneAbortedAndCancelsTheSource(Backpressure strategy) throws InterruptedException {
        TestSource source = TestSource.of(ContentChunk.of("a")).thenBlockUntilCancelled();
        ChatStream s = stream(source, strategy);
        BlockingQueue<Optional<StreamChunk>> results = consumeInBackground(s);
        assertThat(results.take()).get().isInstanceOf(ContentChunk.class);
        await().until(() -> source.nextCalls() == 2);

        assertThat(s.abort()).isTrue();
        assertThat(s.abort()).isFalse();

        StreamChunk last = results.take().orElseThrow();
        assertThat(last).isInstanceOfSatisfying(DoneChunk.class, d -> {
            assertThat(d.finishReason()).isEqualTo(FinishReason.ABORTED);
            assertThat(d.seq()).isEqualTo(1);
            assertThat(d.id()).isEqualTo("st_test");
        });
        assertThat(results.take()).isEmpty();
        assertThat(source.cancels()).isEqualTo(1);
        await().until(() -> source.closes() == 1);
        assertThat(s.isDone()).isTrue();
        s.close();
        assertThat(source.closes()).isEqualTo(1);
    }

    @Test
    void abortDiscardsReadAheadChunksAndDeliversDoneAbortedNext() {
        TestSource source =
                TestSource.generating(10, i -> ContentChunk.of("c" + i)).thenBlockUntilCancelled();
        try (ChatStream s = stream(source, Backpressure.BUFFER)) {
            await().until(() -> source.nextCalls() == 11); // all ten read ahead, the source is blocked
            assertThat(s.next()).get().isInstanceOf(ContentChunk.class);

            s.abort();

            assertThat(s.next()).get().isInstanceOfSatisfying(DoneChunk.class, d -> {
                assertThat(d.finishReason()).isEqualTo(FinishReason.ABORTED);
                assertThat(d.seq()).isEqualTo(1);
            });
            assertThat(s.next()).isEmpty();
        }
    }

    @Test
    void abortOnAFinishedStreamIsANoOp() {
        TestSource source = TestSource.contents(2);
        try (ChatStream s = stream(source, Backpressure.BLOCK)) {
            List<StreamChunk> chunks = drain(s);
            assertThat(s.abort()).isFalse();
            assertThat(s.next()).isEmpty();
            assertThat(Chunks.lastDone(chunks).finishReason()).isEqualTo(FinishReason.STOP);
        }
        assertThat(source.cancels()).isZero();
    }

    @Test
    void abortBeforeAnyReadStillDeliversDoneAborted() {
        TestSource source = TestSource.contents(5);
        try (ChatStream s = stream(source, Backpressure.BLOCK)) {
            s.abort();
            assertThat(drain(s))
                    .singleElement()
                    .isInstanceOfSatisfying(
                            DoneChunk.class, d -> assertThat(d.finishReason()).isEqualTo(FinishReason.ABORTED));
        }
        assertThat(source.nextCalls()).isZero();
        assertThat(source.closes()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(
            value = Backpressure.class,
            names = {"BLOCK", "BUFFER"})
    void interruptedConsumerGetsAbortedExceptionWithFlagRestoredAndStreamClosed(Backpressure strategy)
            throws InterruptedException {
        TestSource source = TestSource.of().thenBlockUntilCancelled();
        ChatStream s = stream(source, strategy);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flagAfter = new AtomicBoolean();
        Thread consumer = Thread.ofVirtual().start(() -> {
            try {
                s.next();
            } catch (RuntimeException e) {
                thrown.set(e);
                flagAfter.set(Thread.currentThread().isInterrupted());
            }
        });
        await().until(() -> source.nextCalls() == 1);
        consumer.interrupt();
        consumer.join();

        assertThat(thrown.get())
                .isInstanceOfSatisfying(
                        AIStreamException.class, e -> assertThat(e.code()).isEqualTo("aborted"));
        assertThat(flagAfter).isTrue();
        assertThat(s.isDone()).isTrue();
        assertThat(source.isCancelled()).isTrue();
        await().until(() -> source.closes() == 1);
    }

    @Test
    void iteratesWithForEachAndAsAJavaStream() {
        StringBuilder text = new StringBuilder();
        try (ChatStream s = stream(TestSource.contents(3), Backpressure.BLOCK)) {
            for (StreamChunk c : s) {
                if (c instanceof ContentChunk content) {
                    text.append(content.delta());
                }
            }
        }
        assertThat(text).hasToString("c0c1c2");

        TestSource source = TestSource.contents(3);
        try (var chunks = stream(source, Backpressure.BLOCK).stream()) {
            assertThat(chunks.map(StreamChunk::seq).toList()).containsExactly(0L, 1L, 2L, 3L);
        }
        assertThat(source.closes()).isEqualTo(1);
    }

    @Test
    void runAsyncRoutesEachChunkToOneCallbackAndCompletesWithTheDone() throws Exception {
        TestSource source = TestSource.of(
                ContentChunk.of("a"),
                ReasoningChunk.of("r"),
                ErrorChunk.of(ChunkError.of(ErrorCode.UPSTREAM_ERROR, "bad")),
                DoneChunk.of(FinishReason.ERROR));
        BlockingQueue<String> calls = new LinkedBlockingQueue<>();
        try (ChatStream s = stream(source, Backpressure.BLOCK)) {
            CompletableFuture<DoneChunk> done = s.runAsync(new StreamCallbacks() {
                @Override
                public void onChunk(StreamChunk chunk) {
                    calls.add("chunk:" + chunk.type().wireName());
                }

                @Override
                public void onError(ChunkError error) {
                    calls.add("error:" + error.code());
                }

                @Override
                public void onComplete(DoneChunk d) {
                    calls.add("done:" + d.finishReason().wireName());
                }
            });
            assertThat(done.get(10, TimeUnit.SECONDS).seq()).isEqualTo(3);
            assertThat(calls).containsExactly("chunk:content", "chunk:reasoning", "error:upstream_error", "done:error");
        }
    }

    @Test
    void cancellingTheRunAsyncFutureClosesTheStream() {
        TestSource source = TestSource.of(ContentChunk.of("a")).thenBlockUntilCancelled();
        ChatStream s = stream(source, Backpressure.BLOCK);
        CompletableFuture<DoneChunk> done = s.runAsync(chunk -> {});
        await().until(() -> source.nextCalls() == 2);
        done.cancel(false);
        await().until(source::isCancelled);
        assertThat(s.isDone()).isTrue();
    }

    @Test
    void aThrowingCallbackFailsTheFutureAndClosesTheStream() {
        TestSource source = TestSource.contents(5);
        ChatStream s = stream(source, Backpressure.BLOCK);
        CompletableFuture<DoneChunk> done = s.runAsync(chunk -> {
            throw new IllegalStateException("boom");
        });
        assertThatThrownBy(() -> done.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(s.isDone()).isTrue();
        assertThat(source.isCancelled()).isTrue();
    }

    @Test
    void runAsyncOnAStreamClosedBeforeItsDoneEndsCancelled() {
        ChatStream s = stream(TestSource.contents(5), Backpressure.BLOCK);
        s.close();
        CompletableFuture<DoneChunk> done = s.runAsync(chunk -> {});
        assertThatThrownBy(() -> done.get(10, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
        assertThat(done).isCancelled();
    }

    @Test
    void isDoneOnlyOnceTheDoneWasDelivered() {
        try (ChatStream s = stream(TestSource.contents(1), Backpressure.BLOCK)) {
            assertThat(s.isDone()).isFalse();
            s.next();
            assertThat(s.isDone()).isFalse();
            assertThat(s.next()).get().isInstanceOf(DoneChunk.class);
            assertThat(s.isDone()).isTrue();
            assertThat(s.backpressure()).isEqualTo(Backpressure.BLOCK);
        }
    }

    @Test
    void builderRejectsBadOptions() {
        assertThatThrownBy(() -> ChatStream.builder(TestSource.of()).id(" "))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChatStream.builder(TestSource.of()).bufferCapacity(0))
                .isInstanceOf(IllegalArgumentException.class);
        ChatStream.Builder builder = ChatStream.builder(TestSource.of());
        builder.build().close();
        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class);
    }
}
