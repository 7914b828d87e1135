package io.aistream.sse;

import static io.aistream.sse.Recorder.event;
import static io.aistream.sse.Recorder.events;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.sse.Recorder.Comment;
import io.aistream.sse.Recorder.Retry;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The event stream interpretation rules of the WHATWG HTML standard, one by one. */
class SseDecoderTest {

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(UTF_8);
    }

    @Nested
    class Dispatch {
        @Test
        void blankLineDispatchesAMessageEventWithTheData() {
            assertThat(events("data: hello\n\n")).containsExactly(event("message", "hello", ""));
        }

        @Test
        void severalDataLinesAreJoinedWithLineFeeds() {
            assertThat(events("data: a\ndata: b\ndata: c\n\n")).containsExactly(event("message", "a\nb\nc", ""));
        }

        @Test
        void emptyDataLineDispatchesEventWithEmptyData() {
            assertThat(events("data:\n\n")).containsExactly(event("message", "", ""));
        }

        @Test
        void dataWithoutColonIsADataFieldWithEmptyValue() {
            assertThat(events("data\n\n")).containsExactly(event("message", "", ""));
            assertThat(events("data\ndata\n\n")).containsExactly(event("message", "\n", ""));
        }

        @Test
        void trailingEmptyDataLineKeepsOneLineFeed() {
            assertThat(events("data: a\ndata:\n\n")).containsExactly(event("message", "a\n", ""));
        }

        @Test
        void blockWithoutDataDispatchesNothing() {
            Recorder r = Recorder.decode(utf8("event: ping\nid: 7\n\n"));
            assertThat(r.log).isEmpty();
        }

        @Test
        void severalBlankLinesInARowDispatchNothingExtra() {
            assertThat(events("\n\n\ndata: x\n\n\n\n")).containsExactly(event("message", "x", ""));
        }

        @Test
        void unfinishedLastEventIsDiscarded() {
            assertThat(events("data: one\n\ndata: two\n")).containsExactly(event("message", "one", ""));
            assertThat(events("data: one\n\ndata: two")).containsExactly(event("message", "one", ""));
        }

        @Test
        void unterminatedLastLineIsNotInterpreted() {
            SseDecoder d = new SseDecoder(new Recorder());
            d.feed(utf8("id: 1\nid: 2"));
            d.end();
            assertThat(d.lastEventId()).isEqualTo("1");
        }

        @Test
        void dataMayContainColonsAndNul() {
            assertThat(events("data: a:b: c\0d\n\n")).containsExactly(event("message", "a:b: c\0d", ""));
        }
    }

    @Nested
    class Fields {
        @Test
        void onlyOneLeadingSpaceOfTheValueIsRemoved() {
            assertThat(events("data:x\n\n")).containsExactly(event("message", "x", ""));
            assertThat(events("data: x\n\n")).containsExactly(event("message", "x", ""));
            assertThat(events("data:  x \n\n")).containsExactly(event("message", " x ", ""));
            assertThat(events("data:\tx\n\n")).containsExactly(event("message", "\tx", ""));
        }

        @Test
        void valueIsEverythingAfterTheFirstColon() {
            assertThat(events("data::\n\n")).containsExactly(event("message", ":", ""));
        }

        @Test
        void eventFieldSetsTheTypeForItsBlockOnly() {
            assertThat(events("event: add\ndata: 1\n\ndata: 2\n\n"))
                    .containsExactly(event("add", "1", ""), event("message", "2", ""));
        }

        @Test
        void lastEventFieldOfABlockWins() {
            assertThat(events("event: a\nevent: b\ndata: x\n\n")).containsExactly(event("b", "x", ""));
        }

        @Test
        void emptyEventTypeMeansMessage() {
            assertThat(events("event: a\nevent:\ndata: x\n\n")).containsExactly(event("message", "x", ""));
            assertThat(events("event\ndata: x\n\n")).containsExactly(event("message", "x", ""));
        }

        @Test
        void eventTypeIsResetEvenWhenTheBlockHadNoData() {
            assertThat(events("event: lost\n\ndata: x\n\n")).containsExactly(event("message", "x", ""));
        }

        @Test
        void repeatedEventTypesAreDecodedCorrectly() {
            assertThat(events("event: é\ndata: 1\n\nevent: é\ndata: 2\n\nevent: ü\ndata: 3\n\n"))
                    .containsExactly(event("é", "1", ""), event("é", "2", ""), event("ü", "3", ""));
        }

        @Test
        void idPersistsAcrossEvents() {
            assertThat(events("id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\n"))
                    .containsExactly(
                            event("message", "a", "1"), event("message", "b", "1"), event("message", "c", "2"));
        }

        @Test
        void idIsSetEvenByABlockThatDispatchesNothing() {
            assertThat(events("id: 5\n\ndata: a\n\n")).containsExactly(event("message", "a", "5"));
        }

        @Test
        void idContainingNulIsIgnored() {
            assertThat(events("id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\n"))
                    .containsExactly(event("message", "a", "1"), event("message", "b", "1"));
        }

        @Test
        void emptyIdResetsTheLastEventId() {
            assertThat(events("id: 1\ndata: a\n\nid:\ndata: b\n\nid: 2\n\nid\ndata: c\n\n"))
                    .containsExactly(event("message", "a", "1"), event("message", "b", ""), event("message", "c", ""));
        }

        @Test
        void retryWithDigitsSetsTheReconnectionTime() {
            Recorder r = Recorder.decode(utf8("retry: 1500\ndata: a\n\ndata: b\n\n"));
            assertThat(r.log)
                    .containsExactly(new Retry(1500), event("message", "a", "", 1500), event("message", "b", ""));
        }

        @Test
        void retryWithAnythingButDigitsIsIgnored() {
            for (String bad : List.of(
                    "retry: 12a\n",
                    "retry:\n",
                    "retry\n",
                    "retry: \n",
                    "retry:  12\n",
                    "retry: -1\n",
                    "retry: 1.5\n",
                    "retry: 12 \n",
                    "retry: ١٢\n")) {
                Recorder r = new Recorder();
                SseDecoder d = new SseDecoder(r);
                d.feed(utf8(bad + "data: x\n\n"));
                assertThat(r.log).as(bad).containsExactly(event("message", "x", ""));
                assertThat(d.reconnectionTime()).as(bad).isEmpty();
            }
        }

        @Test
        void retryInABlockWithoutDataIsReportedButDispatchesNothing() {
            Recorder r = new Recorder();
            SseDecoder d = new SseDecoder(r);
            d.feed(utf8("retry: 3000\n\ndata: a\n\n"));
            assertThat(r.log).containsExactly(new Retry(3000), event("message", "a", ""));
            assertThat(d.reconnectionTime()).hasValue(3000);
        }

        @Test
        void retryBeyondLongRangeSaturates() {
            Recorder r = Recorder.decode(utf8("retry: 99999999999999999999999\n\n"));
            assertThat(r.log).containsExactly(new Retry(Long.MAX_VALUE));
        }

        @Test
        void commentsAreReportedAndChangeNothing() {
            Recorder r = Recorder.decode(utf8(":hello\n: spaced\n:\ndata: a\n: inside\ndata: b\n\n"));
            assertThat(r.log)
                    .containsExactly(
                            new Comment("hello"),
                            new Comment(" spaced"),
                            new Comment(""),
                            new Comment(" inside"),
                            event("message", "a\nb", ""));
        }

        @Test
        void unknownAndMisspelledFieldsAreIgnored() {
            assertThat(events("foo: bar\nData: x\nDATA: y\ndata : z\n datum: w\nids: 1\ndata: ok\n"
                            + "someverylongfieldname: v\nnocolonatallbutlong\n\n"))
                    .containsExactly(event("message", "ok", ""));
        }
    }

    @Nested
    class LineEnds {
        @Test
        void crLfAndCrLfAllEndLines() {
            List<SseEvent> expected = List.of(event("message", "a\nb", "1"), event("x", "c", "1"));
            assertThat(events("id: 1\rdata: a\rdata: b\r\revent: x\rdata: c\r\r"))
                    .isEqualTo(expected);
            assertThat(events("id: 1\r\ndata: a\r\ndata: b\r\n\r\nevent: x\r\ndata: c\r\n\r\n"))
                    .isEqualTo(expected);
            assertThat(events("id: 1\ndata: a\r\ndata: b\n\revent: x\r\ndata: c\n\r"))
                    .isEqualTo(expected);
        }

        @Test
        void lfCrIsTwoLineEnds() {
            assertThat(events("data: a\n\rdata: b\n\n"))
                    .containsExactly(event("message", "a", ""), event("message", "b", ""));
        }

        @Test
        void crLfSplitAcrossFeedsIsOneLineEnd() {
            Recorder r = new Recorder();
            SseDecoder d = new SseDecoder(r);
            d.feed(utf8("data: a\r"));
            d.feed(utf8("\ndata: b\r"));
            d.feed(utf8("\n"));
            d.feed(utf8("\r"));
            d.feed(utf8("\n"));
            assertThat(r.events()).containsExactly(event("message", "a\nb", ""));
        }

        @Test
        void eventEndingInCrIsDispatchedBeforeTheNextFeed() {
            Recorder r = new Recorder();
            SseDecoder d = new SseDecoder(r);
            d.feed(utf8("data: a\r\n\r"));
            assertThat(r.events()).containsExactly(event("message", "a", ""));
            d.feed(utf8("\ndata: b\n\n"));
            assertThat(r.events()).containsExactly(event("message", "a", ""), event("message", "b", ""));
        }

        @Test
        void lfSkippedAfterCrOnlyOnce() {
            Recorder r = new Recorder();
            SseDecoder d = new SseDecoder(r);
            d.feed(utf8("data: a\r"));
            d.feed(utf8("\n"));
            d.feed(utf8("\n"));
            assertThat(r.events()).containsExactly(event("message", "a", ""));
        }

        @Test
        void emptyFeedBetweenCrAndLfChangesNothing() {
            Recorder r = new Recorder();
            SseDecoder d = new SseDecoder(r);
            d.feed(utf8("data: a\r"));
            d.feed(new byte[0]);
            d.feed(utf8("\ndata: b\n\n"));
            assertThat(r.events()).containsExactly(event("message", "a\nb", ""));
        }
    }

    @Nested
    class ByteOrderMark {
        private final byte[] bom = bytes(0xEF, 0xBB, 0xBF);

        @Test
        void leadingBomIsSkipped() {
            assertThat(Recorder.decode(concat(bom, utf8("data: x\n\n"))).events())
                    .containsExactly(event("message", "x", ""));
        }

        @Test
        void leadingBomSplitAcrossFeedsIsSkipped() {
            for (int split = 0; split <= 4; split++) {
                byte[] all = concat(bom, utf8("data: x\n\n"));
                Recorder r = new Recorder();
                SseDecoder d = new SseDecoder(r);
                d.feed(all, 0, Math.min(split, 1));
                d.feed(all, Math.min(split, 1), split - Math.min(split, 1));
                d.feed(all, split, all.length - split);
                assertThat(r.events()).as("split at %d", split).containsExactly(event("message", "x", ""));
            }
        }

        @Test
        void onlyOneBomIsSkipped() {
            // The second BOM becomes part of the first line's field name: an unknown field.
            assertThat(Recorder.decode(concat(bom, bom, utf8("data: x\n\ndata: y\n\n")))
                            .events())
                    .containsExactly(event("message", "y", ""));
        }

        @Test
        void bomAfterTheStartIsData() {
            assertThat(Recorder.decode(concat(utf8("data: "), bom, utf8("x\n\n")))
                            .events())
                    .containsExactly(event("message", "\uFEFFx", ""));
            assertThat(Recorder.decode(concat(utf8("\n"), bom, utf8("data: x\n\n")))
                            .events())
                    .isEmpty();
        }

        @Test
        void incompleteBomAtTheStartIsKeptAsBytes() {
            Recorder r = new Recorder();
            SseDecoder d = new SseDecoder(r);
            d.feed(bytes(0xEF, 0xBB));
            d.feed(utf8("\ndata: x\n\n"));
            d.end();
            assertThat(r.events()).containsExactly(event("message", "x", ""));

            // EF starts the line, so ":c" is not a comment but an unknown field named U+FFFD.
            assertThat(Recorder.decode(concat(bytes(0xEF), utf8(":c\n"))).log).isEmpty();
        }
    }

    @Nested
    class Utf8Decoding {
        @Test
        void multiByteCharactersSplitAtEveryOffsetDecodeTheSame() {
            String text = "aé€😀z";
            byte[] all = utf8("event: " + text + "\nid: " + text + "\ndata: " + text + "\n:" + text + "\n\n");
            Recorder reference = Recorder.decode(all);
            assertThat(reference.log).containsExactly(new Comment(text), event(text, text, text));
            for (int i = 0; i <= all.length; i++) {
                for (int j = i; j <= all.length; j++) {
                    Recorder r = new Recorder();
                    SseDecoder d = new SseDecoder(r);
                    d.feed(all, 0, i);
                    d.feed(all, i, j - i);
                    d.feed(all, j, all.length - j);
                    d.end();
                    assertThat(r.log).as("splits at %d and %d", i, j).isEqualTo(reference.log);
                }
            }
        }

        @Test
        void illFormedBytesBecomeReplacementCharacters() {
            byte[] prefix = utf8("data: ");
            byte[] suffix = utf8("\n\n");
            record Case(byte[] bytes, String decoded) {}
            List<Case> cases = List.of(
                    new Case(bytes(0xFF), "\uFFFD"),
                    new Case(bytes(0xC3, 0x28), "\uFFFD("),
                    new Case(bytes(0xC0, 0x80), "\uFFFD\uFFFD"), // overlong lead bytes are never valid
                    new Case(bytes(0xE0, 0x80, 0x80), "\uFFFD\uFFFD\uFFFD"), // E0 needs A0..BF next
                    new Case(bytes(0xED, 0xA0, 0x80), "\uFFFD\uFFFD\uFFFD"), // a surrogate
                    new Case(bytes(0xED, 0xBF, 0x41), "\uFFFD\uFFFDA"),
                    new Case(bytes(0xF0, 0x9F, 0x98), "\uFFFD"), // truncated by the line end
                    new Case(bytes(0xF0, 0x9F, 0x41), "\uFFFDA"),
                    new Case(bytes(0xF4, 0x90, 0x80, 0x80), "\uFFFD\uFFFD\uFFFD\uFFFD"), // above U+10FFFF
                    new Case(bytes(0xF5), "\uFFFD"),
                    new Case(bytes(0x80, 0xBF), "\uFFFD\uFFFD"),
                    new Case(bytes(0xE2, 0x82), "\uFFFD"),
                    new Case(bytes(0xEF, 0xBF, 0xBD), "\uFFFD"));
            for (Case c : cases) {
                assertThat(Recorder.decode(concat(prefix, c.bytes(), suffix)).events())
                        .as("bytes %s", java.util.HexFormat.of().formatHex(c.bytes()))
                        .containsExactly(event("message", c.decoded(), ""));
            }
        }

        @Test
        void truncatedSequenceBeforeALineBreakDoesNotSwallowIt() {
            byte[] input = concat(utf8("data: "), bytes(0xE2, 0x82), utf8("\ndata: x\n\n"));
            assertThat(Recorder.decode(input).events()).containsExactly(event("message", "\uFFFD\nx", ""));
        }
    }

    @Nested
    class Feeding {
        @Test
        void byteBuffersAreReadFromPositionToLimit() {
            byte[] payload = utf8("xxdata: a\n\nyy");
            ByteBuffer heap = ByteBuffer.wrap(payload, 2, payload.length - 4);
            ByteBuffer direct = ByteBuffer.allocateDirect(payload.length)
                    .put(payload)
                    .position(2)
                    .limit(payload.length - 2);
            for (ByteBuffer buffer :
                    List.of(heap, direct, heap.duplicate().position(2).asReadOnlyBuffer())) {
                Recorder r = new Recorder();
                SseDecoder d = new SseDecoder(r);
                int limit = buffer.limit();
                d.feed(buffer);
                assertThat(buffer.position()).isEqualTo(limit);
                assertThat(r.events()).containsExactly(event("message", "a", ""));
            }
        }

        @Test
        void largeDirectBufferIsFedCompletely() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 5000; i++) {
                sb.append("data: ").append(i).append("\n\n");
            }
            byte[] payload = utf8(sb.toString());
            Recorder r = new Recorder();
            new SseDecoder(r)
                    .feed(ByteBuffer.allocateDirect(payload.length).put(payload).flip());
            assertThat(r.events()).hasSize(5000).last().isEqualTo(event("message", "4999", ""));
        }

        @Test
        void feedingAfterEndIsRejected() {
            SseDecoder d = new SseDecoder(new Recorder());
            d.end();
            d.end();
            assertThatThrownBy(() -> d.feed(new byte[1])).isInstanceOf(IllegalStateException.class);
        }

        @Test
        void badRangesAreRejected() {
            SseDecoder d = new SseDecoder(new Recorder());
            assertThatThrownBy(() -> d.feed(new byte[4], 3, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        }

        @Test
        void lastEventIdAndReconnectionTimeAreVisible() {
            SseDecoder d = new SseDecoder(new Recorder());
            assertThat(d.lastEventId()).isEmpty();
            assertThat(d.reconnectionTime()).isEmpty();
            d.feed(utf8("id: abc\nretry: 10\n"));
            assertThat(d.lastEventId()).isEqualTo("abc");
            assertThat(d.reconnectionTime()).hasValue(10);
        }
    }
}
