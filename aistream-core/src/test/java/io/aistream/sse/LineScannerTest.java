package io.aistream.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LineScannerTest {

    private static int naive(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n' || b[i] == '\r') {
                return i;
            }
        }
        return -1;
    }

    @Test
    void findsTheFirstCrOrLfLikeAPlainLoop() {
        long seed = SseDecoderPropertyTest.seed(LineScannerTest.class);
        SplittableRandom random = new SplittableRandom(seed);
        // Near misses on purpose: neighbours of CR and LF, and the same bytes with the high bit set.
        int[] pool = {'\n', '\r', 0x09, 0x0B, 0x0C, 0x0E, 0x8A, 0x8D, 0x00, 0xFF, 0x01, 'a'};
        for (int n = 0; n < 20_000; n++) {
            byte[] b = new byte[random.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte)
                        (random.nextInt(8) == 0
                                ? pool[random.nextInt(pool.length)]
                                : pool[2 + random.nextInt(pool.length - 2)]);
            }
            int from = random.nextInt(b.length + 1);
            int to = from + random.nextInt(b.length - from + 1);
            assertThat(LineScanner.indexOfLineEnd(b, from, to))
                    .as("seed %d, %s [%d, %d)", seed, HexFormat.of().formatHex(b), from, to)
                    .isEqualTo(naive(b, from, to));
        }
    }
}
