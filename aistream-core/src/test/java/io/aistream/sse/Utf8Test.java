package io.aistream.sse;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.TestSeeds;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Utf8Test {

    @Test
    void fastPathAgreesWithTheExactDecoderOnRandomBytes() {
        long seed = TestSeeds.seed(Utf8Test.class, "aistream.sse.seed", 20240601L);
        SplittableRandom random = new SplittableRandom(seed);
        int[] interesting = {
            0x00, 0x0A, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED,
            0xEE, 0xEF, 0xF0, 0xF1, 0xF4, 0xF5, 0xFF
        };
        for (int n = 0; n < 200_000; n++) {
            byte[] b = new byte[random.nextInt(10)];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte)
                        (random.nextInt(4) == 0
                                ? random.nextInt(256)
                                : interesting[random.nextInt(interesting.length)]);
            }
            assertThat(Utf8.decode(b, 0, b.length))
                    .as("seed %d, bytes %s", seed, HexFormat.of().formatHex(b))
                    .isEqualTo(Utf8.decodeExact(b, 0, b.length));
        }
    }

    @Test
    void wellFormedTextRoundTrips() {
        String text = "plain, é, ß, €, 中文, 😀, 𝄞, \uFFFD, \u0000";
        byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(Utf8.decode(b, 0, b.length)).isEqualTo(text);
        assertThat(Utf8.decodeExact(b, 0, b.length)).isEqualTo(text);
    }

    @Test
    void wellFormedIsExactlyWhatDecodesWithoutReplacement() {
        long seed = TestSeeds.seed(Utf8Test.class, "aistream.sse.seed", 20240601L);
        SplittableRandom random = new SplittableRandom(seed);
        int[] interesting = {
            0x00, 0x0A, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED,
            0xEE, 0xEF, 0xF0, 0xF1, 0xF4, 0xF5, 0xFF
        };
        for (int n = 0; n < 200_000; n++) {
            // a run of ASCII (the eight-byte fast path) before and after a few random bytes
            int lead = random.nextInt(20);
            byte[] b = new byte[2 + lead + random.nextInt(8) + random.nextInt(12)];
            for (int i = 0; i < b.length; i++) {
                b[i] = i < lead + 2 || i >= b.length - 4 || random.nextInt(3) == 0
                        ? (byte) ('a' + random.nextInt(26))
                        : (byte)
                                (random.nextInt(4) == 0
                                        ? random.nextInt(256)
                                        : interesting[random.nextInt(interesting.length)]);
            }
            int off = random.nextInt(3);
            int len = Math.max(0, b.length - off - random.nextInt(3));
            boolean roundTrips = java.util.Arrays.equals(
                    Utf8.decodeExact(b, off, len).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    java.util.Arrays.copyOfRange(b, off, off + len));
            assertThat(Utf8.isWellFormed(b, off, len))
                    .as(
                            "seed %d, bytes %s, off %d, len %d",
                            seed, HexFormat.of().formatHex(b), off, len)
                    .isEqualTo(roundTrips);
        }
    }
}
