package io.aistream.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SseDataListenerTest {

    /** What either listener saw, reduced to what both paths report: type, data, last event id. */
    record Seen(String type, String data, String id) {}

    /** Records byte events (decoded here) and the String fallback alike, and counts the byte ones. */
    static final class DataRecorder implements SseDataListener {
        final List<Object> log = new ArrayList<>();
        SseDecoder decoder;
        int byteEvents;
        int stringEvents;

        @Override
        public void onEventData(String type, byte[] data, int off, int len) {
            byteEvents++;
            log.add(new Seen(type, new String(data, off, len, StandardCharsets.UTF_8), decoder.lastEventId()));
        }

        @Override
        public void onEvent(SseEvent event) {
            stringEvents++;
            log.add(new Seen(event.event(), event.data(), event.lastEventId()));
        }

        @Override
        public void onComment(String text) {
            log.add(new Recorder.Comment(text));
        }

        @Override
        public void onRetry(long millis) {
            log.add(new Recorder.Retry(millis));
        }
    }

    private static List<Object> plain(byte[] stream) {
        List<Object> out = new ArrayList<>();
        for (Object o : Recorder.decode(stream).log) {
            out.add(o instanceof SseEvent e ? new Seen(e.event(), e.data(), e.lastEventId()) : o);
        }
        return out;
    }

    private static DataRecorder bytes(byte[] stream, int[] cuts) {
        DataRecorder r = new DataRecorder();
        SseDecoder d = new SseDecoder(r);
        r.decoder = d;
        int from = 0;
        for (int cut : cuts) {
            d.feed(stream, from, cut - from);
            from = cut;
        }
        d.feed(stream, from, stream.length - from);
        d.end();
        return r;
    }

    @Test
    void wellFormedDataArrivesAsBytesAndIllFormedAsBefore() {
        byte[] stream =
                "event: delta\ndata: {\"a\":\"é😀\"}\nid: 7\n\ndata: x\ndata:\n\n".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(stream);
        out.writeBytes(
                new byte[] {'d', 'a', 't', 'a', ':', ' ', 'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '\n', '\n'});
        byte[] all = out.toByteArray();
        DataRecorder r = bytes(all, new int[0]);
        assertThat(r.log)
                .containsExactly(
                        new Seen("delta", "{\"a\":\"é😀\"}", "7"),
                        new Seen("message", "x\n", "7"),
                        new Seen("message", "a\uFFFD\uFFFD\uFFFD", "7"));
        assertThat(r.byteEvents).isEqualTo(2);
        assertThat(r.stringEvents).isEqualTo(1);
        assertThat(r.log).isEqualTo(plain(all));
    }

    @Test
    void randomStreamsAtRandomSplitsReportWhatThePlainListenerDoes() {
        long seed = SseDecoderPropertyTest.seed(SseDataListenerTest.class);
        SplittableRandom random = new SplittableRandom(seed);
        for (int n = 0; n < SseDecoderPropertyTest.cases(); n++) {
            byte[] stream = randomStream(random);
            List<Object> expected = plain(stream);
            int[] cuts = n % 4 == 0 ? everyByte(stream.length) : randomCuts(random, stream.length);
            assertThat(bytes(stream, cuts).log).as("seed %d, case %d", seed, n).isEqualTo(expected);
        }
    }

    /** The property test's streams, with ill-formed bytes put into some lines. */
    private static byte[] randomStream(SplittableRandom random) {
        byte[] base = SseDecoderPropertyTest.randomStream(random);
        if (random.nextBoolean()) {
            return base;
        }
        byte[][] bad = {
            {(byte) 0xFF},
            {(byte) 0xC0, (byte) 0x80},
            {(byte) 0xE2, (byte) 0x82},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            {(byte) 0x80}
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte b : base) {
            out.write(b);
            if (b == ':' && random.nextInt(4) == 0) {
                out.writeBytes(bad[random.nextInt(bad.length)]);
            }
        }
        return out.toByteArray();
    }

    private static int[] everyByte(int length) {
        int[] cuts = new int[Math.max(0, length - 1)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        return cuts;
    }

    private static int[] randomCuts(SplittableRandom random, int length) {
        return random.ints(random.nextInt(1 + Math.min(40, length)), 0, length + 1)
                .sorted()
                .distinct()
                .toArray();
    }
}
