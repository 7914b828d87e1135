package io.aistream.sse;

import static io.aistream.sse.Recorder.event;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SseReaderTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private static byte[] utf8(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void readsAllEventsThenReportsTheEnd() {
        try (SseReader reader =
                new SseReader(new ByteArrayInputStream(utf8("data: a\n\nevent: e\ndata: b\n\ndata: lost\n")))) {
            assertThat(reader.next()).contains(event("message", "a", ""));
            assertThat(reader.next()).contains(event("e", "b", ""));
            assertThat(reader.next()).isEmpty();
            assertThat(reader.next()).isEmpty();
        }
    }

    @Test
    void returnsAnEventAsSoonAsItsBlankLineArrives() {
        QueueInputStream in = new QueueInputStream();
        try (SseReader reader = new SseReader(in)) {
            in.offer(utf8("data: first\n"));
            in.offer(utf8("\n"));
            // The stream has not ended, and a further read would block: next() must not try one.
            Optional<SseEvent> first = assertTimeoutPreemptively(PATIENCE, reader::next);
            assertThat(first).contains(event("message", "first", ""));
            assertThat(in.wouldBlock()).isTrue();

            in.offer(utf8("data: second\n\ndata: third\n\n"));
            assertThat(assertTimeoutPreemptively(PATIENCE, reader::next)).contains(event("message", "second", ""));
            int reads = in.readCalls();
            assertThat(assertTimeoutPreemptively(PATIENCE, reader::next)).contains(event("message", "third", ""));
            assertThat(in.readCalls()).as("queued events need no read").isEqualTo(reads);

            in.offerEnd();
            assertThat(assertTimeoutPreemptively(PATIENCE, reader::next)).isEmpty();
        }
    }

    @Test
    void blankLineEndingInCrDispatchesWithoutWaitingForAPossibleLf() {
        QueueInputStream in = new QueueInputStream();
        try (SseReader reader = new SseReader(in)) {
            in.offer(utf8("data: a\r\n\r"));
            assertThat(assertTimeoutPreemptively(PATIENCE, reader::next)).contains(event("message", "a", ""));
            in.offer(utf8("\ndata: b\r\r"));
            assertThat(assertTimeoutPreemptively(PATIENCE, reader::next)).contains(event("message", "b", ""));
        }
    }

    @Test
    void isIterable() {
        List<SseEvent> seen = new ArrayList<>();
        try (SseReader reader = new SseReader(new ByteArrayInputStream(utf8("id: 1\ndata: a\n\ndata: b\n\n")))) {
            for (SseEvent e : reader) {
                seen.add(e);
            }
            assertThat(reader.lastEventId()).isEqualTo("1");
        }
        assertThat(seen).containsExactly(event("message", "a", "1"), event("message", "b", "1"));
    }

    @Test
    void reportsTheReconnectionTimeOfABlockWithoutData() {
        try (SseReader reader = new SseReader(new ByteArrayInputStream(utf8("retry: 250\n\n")))) {
            assertThat(reader.next()).isEmpty();
            assertThat(reader.reconnectionTime()).hasValue(250);
        }
    }

    @Test
    void readErrorsAreUnchecked() {
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        };
        try (SseReader reader = new SseReader(failing)) {
            assertThatThrownBy(reader::next)
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("connection reset");
        }
    }

    @Test
    void limitsApply() {
        try (SseReader reader =
                new SseReader(new ByteArrayInputStream(utf8("data: 0123456789\n\n")), new SseLimits(8, 8))) {
            assertThatThrownBy(reader::next).isInstanceOf(SseLimitExceededException.class);
        }
    }

    @Test
    void closeClosesTheStreamOnceAndStopsReading() {
        QueueInputStream in = new QueueInputStream();
        SseReader reader = new SseReader(in);
        reader.close();
        reader.close();
        assertThat(in.closed).isTrue();
        assertThatThrownBy(reader::next).isInstanceOf(IllegalStateException.class);
    }
}
