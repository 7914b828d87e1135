package io.aistream.sse;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.TestSeeds;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Random event streams decoded whole must match the reference interpretation, and decoded in
 * random pieces must match the whole. The seed is fixed and printed (and in every assertion message);
 * reproduce a failure with {@code -Daistream.sse.seed=<seed>}; {@code -Daistream.sse.seed=random} picks a new one,
 * {@code -Daistream.sse.cases=<n>} changes the number of cases.
 */
class SseDecoderPropertyTest {
    private static final long DEFAULT_SEED = 0x55E_0DEC0DEL;

    private static final String[] ALPHABET = {
        "a", "b", "z", "0", "7", " ", ":", "{", "\"", "é", "ß", "€", "中", "😀", "𝄞", "\uFEFF", "\uFFFD", "\0", "\t"
    };
    private static final String[] NAMES = {
        "data", "data", "data", "event", "id", "retry", "foo", "Data", "dat", "datas", "retryx", ""
    };

    /** The SSE tests' seed: fixed, printed, and replaced by {@code -Daistream.sse.seed}. */
    static long seed(Class<?> test) {
        return TestSeeds.seed(test, "aistream.sse.seed", DEFAULT_SEED);
    }

    static int cases() {
        return Integer.getInteger("aistream.sse.cases", 400);
    }

    @Test
    void randomStreamsDecodeLikeTheReferenceInOneFeed() {
        long seed = seed(SseDecoderPropertyTest.class);
        SplittableRandom random = new SplittableRandom(seed);
        for (int n = 0; n < cases(); n++) {
            byte[] stream = randomStream(random);
            assertThat(Recorder.decode(stream).log)
                    .as("seed %d, case %d", seed, n)
                    .isEqualTo(ReferenceInterpreter.interpret(stream));
        }
    }

    @Test
    void randomSplitsDecodeLikeOneFeed() {
        long seed = seed(SseDecoderPropertyTest.class);
        SplittableRandom random = new SplittableRandom(seed);
        for (int n = 0; n < cases(); n++) {
            byte[] stream = randomStream(random);
            List<Object> whole = Recorder.decode(stream).log;
            for (int attempt = 0; attempt < 4; attempt++) {
                int[] cuts = attempt == 0 ? everyByte(stream.length) : randomCuts(random, stream);
                Recorder r = new Recorder();
                SseDecoder d = new SseDecoder(r);
                int from = 0;
                for (int cut : cuts) {
                    d.feed(stream, from, cut - from);
                    from = cut;
                }
                d.feed(stream, from, stream.length - from);
                d.end();
                assertThat(r.log)
                        .as("seed %d, case %d, attempt %d, cuts %s", seed, n, attempt, java.util.Arrays.toString(cuts))
                        .isEqualTo(whole);
            }
        }
    }

    @Test
    void pullReaderOverRandomlySizedReadsMatchesOneFeed() {
        long seed = seed(SseDecoderPropertyTest.class);
        SplittableRandom random = new SplittableRandom(seed);
        for (int n = 0; n < cases(); n++) {
            byte[] stream = randomStream(random);
            List<SseEvent> expected = Recorder.decode(stream).events();
            List<SseEvent> actual = new ArrayList<>();
            try (SseReader reader = new SseReader(new ChoppyInputStream(stream, random.split()))) {
                for (Optional<SseEvent> e = reader.next(); e.isPresent(); e = reader.next()) {
                    actual.add(e.get());
                }
            }
            assertThat(actual).as("seed %d, case %d", seed, n).isEqualTo(expected);
        }
    }

    private static int[] everyByte(int length) {
        int[] cuts = new int[Math.max(0, length - 1)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        return cuts;
    }

    /** Random cut points, half of them right after a CR or inside a multi-byte character. */
    private static int[] randomCuts(SplittableRandom random, byte[] stream) {
        List<Integer> tricky = new ArrayList<>();
        for (int i = 1; i < stream.length; i++) {
            if (stream[i - 1] == '\r' || (stream[i] & 0xC0) == 0x80 || (i <= 3 && (stream[0] & 0xFF) == 0xEF)) {
                tricky.add(i);
            }
        }
        TreeSet<Integer> cuts = new TreeSet<>();
        int count = stream.length == 0 ? 0 : random.nextInt(1 + Math.min(40, stream.length));
        for (int k = 0; k < count; k++) {
            if (!tricky.isEmpty() && random.nextBoolean()) {
                cuts.add(tricky.get(random.nextInt(tricky.size())));
            } else {
                cuts.add(random.nextInt(stream.length + 1));
            }
        }
        return cuts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A random event stream: fields, comments, odd lines, mixed line ends, sometimes a BOM. */
    static byte[] randomStream(SplittableRandom random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int lead = random.nextInt(10);
        if (lead < 3) {
            out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        } else if (lead == 3) {
            out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB}); // not quite a BOM
        }
        int blocks = random.nextInt(8);
        for (int b = 0; b < blocks; b++) {
            int lines = random.nextInt(6);
            for (int l = 0; l < lines; l++) {
                writeLine(random, out);
                out.writeBytes(lineEnd(random));
            }
            boolean last = b == blocks - 1;
            if (!last || random.nextInt(3) > 0) {
                out.writeBytes(lineEnd(random)); // the blank line
            }
        }
        if (random.nextInt(4) == 0) {
            writeLine(random, out); // an unterminated last line
        }
        return out.toByteArray();
    }

    private static void writeLine(SplittableRandom random, ByteArrayOutputStream out) {
        int kind = random.nextInt(10);
        if (kind == 0) {
            out.writeBytes(utf8(":" + randomText(random)));
            return;
        }
        String name = NAMES[random.nextInt(NAMES.length)];
        String value = name.equals("retry") && random.nextBoolean() ? digits(random) : randomText(random);
        if (name.equals("id") && random.nextInt(4) == 0) {
            value = "";
        }
        switch (random.nextInt(6)) {
            case 0 -> out.writeBytes(utf8(name)); // no colon
            case 1 -> out.writeBytes(utf8(name + ":" + value));
            case 2 -> out.writeBytes(utf8(name + ":  " + value));
            default -> out.writeBytes(utf8(name + ": " + value));
        }
        if (random.nextInt(15) == 0) {
            out.write(0x80 + random.nextInt(0x80)); // a stray byte that is not UTF-8 on its own
        }
    }

    private static String digits(SplittableRandom random) {
        return random.nextInt(10) == 0 ? "123456789012345678901234" : Long.toString(random.nextLong(100_000));
    }

    private static String randomText(SplittableRandom random) {
        StringBuilder sb = new StringBuilder();
        int length = random.nextInt(3) == 0 ? random.nextInt(60) : random.nextInt(8);
        for (int i = 0; i < length; i++) {
            sb.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return sb.toString();
    }

    private static byte[] lineEnd(SplittableRandom random) {
        return switch (random.nextInt(3)) {
            case 0 -> new byte[] {'\n'};
            case 1 -> new byte[] {'\r'};
            default -> new byte[] {'\r', '\n'};
        };
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Serves its bytes in reads of random length (often a single byte). */
    private static final class ChoppyInputStream extends InputStream {
        private final byte[] bytes;
        private final SplittableRandom random;
        private int pos;

        ChoppyInputStream(byte[] bytes, SplittableRandom random) {
            this.bytes = bytes;
            this.random = random;
        }

        @Override
        public int read() {
            return pos < bytes.length ? bytes[pos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos == bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, bytes.length - pos), random.nextBoolean() ? 1 : 1 + random.nextInt(16));
            System.arraycopy(bytes, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
