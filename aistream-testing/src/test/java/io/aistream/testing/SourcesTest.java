package io.aistream.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The test sources: controlled step by step, fixed, throwing; and the chunk helpers. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SourcesTest {

    @Test
    void aControlledSourceGivesWhatTheTestEmitsThenEnds() throws Exception {
        ControlledSource source = new ControlledSource();
        CompletableFuture<List<StreamChunk>> read = Chunks.drainAsync(source);

        source.emit(ContentChunk.of("a"), ContentChunk.of("b"));
        source.emit(DoneChunk.of(FinishReason.STOP));
        source.end();

        List<StreamChunk> chunks = read.get(10, TimeUnit.SECONDS);
        assertThat(Chunks.text(chunks)).isEqualTo("ab");
        assertThat(Chunks.done(chunks).finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(source.next()).as("stays ended").isEmpty();
        assertThat(source.isCancelled())
                .as("closing after the end is no cancel")
                .isFalse();
        assertThat(source.closed()).isDone();
        assertThat(source.awaitClose()).isLessThanOrEqualTo(System.nanoTime());
    }

    @Test
    void cancelEndsABlockedNextAndIsRecordedWithItsTime() throws Exception {
        ControlledSource source = new ControlledSource();
        source.emit(ContentChunk.of("first"));
        assertThat(source.next()).contains(ContentChunk.of("first"));
        CompletableFuture<Object> blocked = CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return source.next();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                r -> Thread.ofVirtual().start(r));

        long before = System.nanoTime();
        source.cancel();

        assertThat(blocked.get(10, TimeUnit.SECONDS)).isEqualTo(java.util.Optional.empty());
        assertThat(source.awaitCancel()).isGreaterThanOrEqualTo(before);
        assertThat(source.isCancelled()).isTrue();
        assertThat(source.closed()).isNotDone();
        source.emit(ContentChunk.of("late"));
        assertThat(source.next()).isEmpty();
    }

    @Test
    void aFailedControlledSourceThrowsEveryTime() throws Exception {
        ControlledSource source = new ControlledSource();
        source.emit(ContentChunk.of("a"));
        source.fail(new IOException("upstream gone"));

        assertThat(source.next()).isPresent();
        assertThatThrownBy(source::next).isInstanceOf(IOException.class).hasMessage("upstream gone");
        assertThatThrownBy(source::next).isInstanceOf(IOException.class);
    }

    @Test
    void controlledSourcesHandsEveryOpenedSourceToTheTestInOrder() {
        ControlledSources sources = new ControlledSources();
        ControlledSource first = sources.open();
        ControlledSource second = sources.open();

        assertThat(sources.nextSource()).isSameAs(first);
        assertThat(sources.nextSource()).isSameAs(second);
        assertThat(sources.pollSource()).isEmpty();
        assertThat(sources.opened()).containsExactly(first, second);
    }

    @Test
    void controlledSourcesWaitsForASourceOpenedLater() throws Exception {
        ControlledSources sources = new ControlledSources();
        CompletableFuture<ControlledSource> taken = CompletableFuture.supplyAsync(
                sources::nextSource, r -> Thread.ofVirtual().start(r));

        ControlledSource opened = sources.open();

        assertThat(taken.get(10, TimeUnit.SECONDS)).isSameAs(opened);
    }

    @Test
    void aFixedSourceReturnsItsChunksThenEnds() throws Exception {
        FixedSource source = FixedSource.of(ContentChunk.of("x"), DoneChunk.of(FinishReason.LENGTH));

        List<StreamChunk> chunks = Chunks.drain(source);

        assertThat(Chunks.text(chunks)).isEqualTo("x");
        assertThat(Chunks.done(chunks).finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(source.next()).isEmpty();
        assertThat(source.closed()).isDone();
        assertThat(source.isCancelled()).isFalse();
    }

    @Test
    void aFixedSourceCanThrowAfterItsChunks() throws Exception {
        FixedSource source = FixedSource.of(ContentChunk.of("x")).thenThrow(new IllegalStateException("broken"));

        assertThat(source.next()).contains(ContentChunk.of("x"));
        assertThatThrownBy(source::next)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("broken");
        assertThatThrownBy(() -> Chunks.drain(FixedSource.throwing(new IOException("at once"))))
                .isInstanceOf(IOException.class);
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
                ExecutionException.class,
                () -> Chunks.drainAsync(FixedSource.throwing(new IOException("async")))
                        .get(10, TimeUnit.SECONDS));
        assertThat(e.getCause()).isInstanceOf(IOException.class).hasMessage("async");
    }

    @Test
    void aCancelledFixedSourceEnds() throws Exception {
        FixedSource source = FixedSource.of(ContentChunk.of("x"), ContentChunk.of("y"));
        assertThat(source.next()).isPresent();

        source.cancel();

        assertThat(source.next()).isEmpty();
        assertThat(source.cancelled()).isDone();
    }

    @Test
    void chunkHelpersPickOutWhatTheyName() {
        List<StreamChunk> chunks = List.of(
                ContentChunk.of("a"),
                io.aistream.chunk.ReasoningChunk.of("r"),
                io.aistream.chunk.ErrorChunk.of(
                        io.aistream.chunk.ChunkError.of(io.aistream.ErrorCode.INCOMPLETE_STREAM, "cut")),
                DoneChunk.of(FinishReason.ERROR));

        assertThat(Chunks.text(chunks)).isEqualTo("a");
        assertThat(Chunks.reasoning(chunks)).isEqualTo("r");
        assertThat(Chunks.firstError(chunks).error().code()).isEqualTo("incomplete_stream");
        assertThat(Chunks.errors(chunks)).hasSize(1);
        assertThatThrownBy(() -> Chunks.done(List.of(ContentChunk.of("a")))).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> Chunks.firstError(List.of(ContentChunk.of("a"))))
                .isInstanceOf(AssertionError.class);
    }
}
