package io.aistream.sse;

import static io.aistream.sse.Recorder.event;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class SseWriterTest {

    private static String written(Consumer<SseWriter> body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (SseWriter w = new SseWriter(out)) {
            body.accept(w);
        }
        return out.toString(UTF_8);
    }

    private static byte[] writtenBytes(Consumer<SseWriter> body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (SseWriter w = new SseWriter(out)) {
            body.accept(w);
        }
        return out.toByteArray();
    }

    @Test
    void writesFieldsAsNameColonSpaceValue() {
        assertThat(written(w -> w.writeId("7")
                        .writeEvent("delta")
                        .writeRetry(1500)
                        .writeData("{\"a\":1}")
                        .endEvent()))
                .isEqualTo("id: 7\nevent: delta\nretry: 1500\ndata: {\"a\":1}\n\n");
    }

    @Test
    void dataIsSplitAtEveryKindOfLineBreak() {
        assertThat(written(w -> w.writeData("a\r\nb"))).isEqualTo("data: a\ndata: b\n");
        assertThat(written(w -> w.writeData("a\rb\nc\r\n\r\nd")))
                .isEqualTo("data: a\ndata: b\ndata: c\ndata: \ndata: d\n");
        assertThat(written(w -> w.writeData("\n"))).isEqualTo("data: \ndata: \n");
        assertThat(written(w -> w.writeData("x\r"))).isEqualTo("data: x\ndata: \n");
        assertThat(written(w -> w.writeData(""))).isEqualTo("data: \n");
    }

    @Test
    void utf8DataIsSplitAtLineBreakBytes() {
        byte[] json = "{\"k\":\"é\"}\r\n{}\r[]\n".getBytes(UTF_8);
        assertThat(written(w -> w.writeDataUtf8(json))).isEqualTo("data: {\"k\":\"é\"}\ndata: {}\ndata: []\ndata: \n");
        assertThat(written(w -> w.writeDataUtf8(json, 1, 4))).isEqualTo("data: \"k\":\n");
        assertThat(written(w -> w.writeDataUtf8(new byte[0]))).isEqualTo("data: \n");
    }

    @Test
    void commentsGetOneColonPerLineAndNoAddedSpace() {
        assertThat(written(w -> w.writeComment("ping"))).isEqualTo(":ping\n");
        assertThat(written(w -> w.writeComment(" one\r\ntwo\rthree"))).isEqualTo(": one\n:two\n:three\n");
        assertThat(written(w -> w.writeComment(""))).isEqualTo(":\n");
    }

    @Test
    void numericIdsAreWrittenAsDecimalDigits() {
        assertThat(written(w -> w.writeId(0))).isEqualTo("id: 0\n");
        assertThat(written(w -> w.writeId(42))).isEqualTo("id: 42\n");
        assertThat(written(w -> w.writeId(-15))).isEqualTo("id: -15\n");
        assertThat(written(w -> w.writeId(Long.MAX_VALUE))).isEqualTo("id: 9223372036854775807\n");
        assertThat(written(w -> w.writeId(Long.MIN_VALUE))).isEqualTo("id: -9223372036854775808\n");
        assertThat(written(w -> w.writeRetry(0))).isEqualTo("retry: 0\n");
    }

    @Test
    void badIdsEventNamesAndRetriesAreRejectedNamingTheField() {
        SseWriter w = new SseWriter(new ByteArrayOutputStream());
        for (String bad : List.of("a\nb", "a\rb", "\r\n")) {
            assertThatThrownBy(() -> w.writeId(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("id");
            assertThatThrownBy(() -> w.writeEvent(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("event");
        }
        assertThatThrownBy(() -> w.writeId("a\0b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("id");
        assertThatThrownBy(() -> w.writeRetry(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retry");
        assertThat(written(x -> x.writeEvent("a\0b"))).isEqualTo("event: a\0b\n");
    }

    @Test
    void rejectedEventWritesNothing() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SseWriter w = new SseWriter(out);
        assertThatThrownBy(() -> w.write(new SseEvent("bad\ntype", "x", "new-id", OptionalLong.empty())))
                .isInstanceOf(IllegalArgumentException.class);
        w.flush();
        assertThat(out.size()).isZero();
    }

    @Test
    void charactersAreEncodedAsUtf8AndLoneSurrogatesAsReplacementCharacter() {
        assertThat(writtenBytes(w -> w.writeData("é€😀"))).isEqualTo("data: é€😀\n".getBytes(UTF_8));
        assertThat(writtenBytes(w -> w.writeData("a\uD800b\uDC00\uD83D")))
                .isEqualTo("data: a\uFFFDb\uFFFD\uFFFD\n".getBytes(UTF_8));
    }

    @Test
    void largeValuesCrossTheInternalBuffer() {
        String big = "é😀x".repeat(10_000);
        byte[] bigBytes = ("q".repeat(20_000) + "\n" + "r".repeat(3)).getBytes(UTF_8);
        byte[] out = writtenBytes(
                w -> w.writeData(big).endEvent().writeDataUtf8(bigBytes).endEvent());
        assertThat(Recorder.decode(out).events())
                .containsExactly(SseEvent.message(big), SseEvent.message("q".repeat(20_000) + "\nrrr"));
    }

    @Test
    void lineBreaksAndMultiByteCharactersNearTheInternalBufferEdgeAreKept() {
        for (int k = 8170; k < 8200; k++) {
            String data = "a".repeat(k) + "\r\n" + "b".repeat(k % 7) + "é😀" + "c".repeat(8190);
            String expected =
                    "data: " + "a".repeat(k) + "\ndata: " + "b".repeat(k % 7) + "é😀" + "c".repeat(8190) + "\n\n";
            assertThat(written(w -> w.writeData(data).endEvent()))
                    .as("k = %d", k)
                    .isEqualTo(expected);
        }
    }

    @Test
    void eventsRoundTripThroughTheDecoder() {
        List<SseEvent> events = List.of(
                SseEvent.message("hello"),
                SseEvent.message(""),
                event("delta", "line1\r\nline2\rline3\nline4", ""),
                event("message", "  leading spaces and trailing \n", "1"),
                event("message", "same id", "1"),
                event("ü", "unicode é€😀 中文", "2"),
                event("message", "id reset", ""),
                event("x", "retry", "", 3000),
                event("message", ":not a comment\n:", "id with spaces "),
                event("message", "\n\n", " leading-space-id"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (SseWriter w = new SseWriter(out)) {
            events.forEach(w::write);
        }
        List<SseEvent> expected = events.stream()
                .map(e -> new SseEvent(
                        e.event(), e.data().replace("\r\n", "\n").replace('\r', '\n'), e.lastEventId(), e.retry()))
                .toList();
        assertThat(Recorder.decode(out.toByteArray()).events()).isEqualTo(expected);
    }

    @Test
    void randomEventsRoundTrip() {
        long seed = SseDecoderPropertyTest.seed(SseWriterTest.class);
        SplittableRandom random = new SplittableRandom(seed);
        String[] alphabet = {"a", " ", ":", "\n", "\r", "\r\n", "é", "€", "😀", "\0", "{"};
        for (int n = 0; n < SseDecoderPropertyTest.cases(); n++) {
            List<SseEvent> events = new ArrayList<>();
            int count = random.nextInt(6);
            String id = "";
            for (int i = 0; i < count; i++) {
                if (random.nextInt(3) == 0) {
                    id = random.nextBoolean() ? "" : Integer.toString(random.nextInt(1000)) + "é";
                }
                StringBuilder data = new StringBuilder();
                for (int k = random.nextInt(12); k > 0; k--) {
                    data.append(alphabet[random.nextInt(alphabet.length)]);
                }
                String type = random.nextBoolean() ? "message" : "t" + random.nextInt(3);
                OptionalLong retry =
                        random.nextInt(4) == 0 ? OptionalLong.of(random.nextLong(1_000_000)) : OptionalLong.empty();
                events.add(new SseEvent(type, data.toString(), id, retry));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (SseWriter w = new SseWriter(out)) {
                events.forEach(w::write);
            }
            List<SseEvent> expected = events.stream()
                    .map(e -> new SseEvent(
                            e.event(), e.data().replace("\r\n", "\n").replace('\r', '\n'), e.lastEventId(), e.retry()))
                    .toList();
            assertThat(Recorder.decode(out.toByteArray()).events())
                    .as("seed %d, case %d", seed, n)
                    .isEqualTo(expected);
        }
    }

    @Test
    void numericIdIsRememberedForLaterEvents() {
        byte[] out =
                writtenBytes(w -> w.writeId(5).write(event("message", "a", "5")).write(event("message", "b", "")));
        assertThat(new String(out, UTF_8)).isEqualTo("id: 5\ndata: a\n\nid: \ndata: b\n\n");
        assertThat(Recorder.decode(out).events())
                .containsExactly(event("message", "a", "5"), event("message", "b", ""));
    }

    @Test
    void byteBufferTargetReceivesWholeEvents() {
        ByteBuffer target = ByteBuffer.allocate(64);
        SseWriter w = SseWriter.to(target);
        w.writeEvent("e").writeData("x");
        assertThat(target.position()).as("nothing before endEvent").isZero();
        w.endEvent();
        w.write(SseEvent.message("y"));
        target.flip();
        byte[] bytes = new byte[target.remaining()];
        target.get(bytes);
        assertThat(new String(bytes, UTF_8)).isEqualTo("event: e\ndata: x\n\ndata: y\n\n");
    }

    @Test
    void fullByteBufferTargetOverflowsAndKeepsWhatFitted() {
        ByteBuffer target = ByteBuffer.allocate(12);
        SseWriter w = SseWriter.to(target);
        w.writeData("ok").endEvent(); // 10 bytes
        assertThatThrownBy(() -> w.writeData("too long").endEvent()).isInstanceOf(BufferOverflowException.class);
        assertThat(target.position()).isEqualTo(10);
        // The failed bytes were dropped; "data: x\n\n" (9 bytes) does not fit into the 2 left either.
        assertThatThrownBy(() -> w.writeData("x").endEvent()).isInstanceOf(BufferOverflowException.class);
        assertThat(target.position()).isEqualTo(10);
        w.writeComment("").flush(); // ":\n" fits
        assertThat(target.position()).isEqualTo(12);
    }

    @Test
    void directByteBufferWorksToo() {
        ByteBuffer target = ByteBuffer.allocateDirect(32);
        SseWriter.to(target).writeDataUtf8(new byte[] {'h', 'i'}).endEvent();
        assertThat(target.position()).isEqualTo(10);
    }

    @Test
    void bytesReachTheStreamAtEndEventAndFlushFlushesIt() {
        List<String> calls = new ArrayList<>();
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        OutputStream out = new FilterOutputStream(sink) {
            @Override
            public void write(byte[] b, int off, int len) {
                calls.add("write " + len);
                sink.write(b, off, len);
            }

            @Override
            public void flush() {
                calls.add("flush");
            }

            @Override
            public void close() {
                calls.add("close");
            }
        };
        SseWriter w = new SseWriter(out);
        w.writeData("a");
        assertThat(calls).isEmpty();
        w.endEvent();
        assertThat(calls).containsExactly("write 9");
        w.writeComment("c").flush();
        assertThat(calls).containsExactly("write 9", "write 3", "flush");
        w.close();
        w.close();
        assertThat(calls).containsExactly("write 9", "write 3", "flush", "flush", "close");
        assertThatThrownBy(() -> w.writeData("x")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void streamErrorsAreUnchecked() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("broken pipe");
            }
        };
        SseWriter w = new SseWriter(broken);
        assertThatThrownBy(() -> w.writeData("x").endEvent())
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("broken pipe");
    }
}
