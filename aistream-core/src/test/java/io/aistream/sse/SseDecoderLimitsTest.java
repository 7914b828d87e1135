package io.aistream.sse;

import static io.aistream.sse.Recorder.event;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;
import io.aistream.sse.SseLimitExceededException.Limit;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SseDecoderLimitsTest {

    @Test
    void defaultsAreOneMebibytePerLineAndFourPerEvent() {
        assertThat(SseLimits.DEFAULTS).isEqualTo(new SseLimits(1 << 20, 4 << 20));
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> new SseLimits(0, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxLineBytes");
        assertThatThrownBy(() -> new SseLimits(10, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxEventBytes");
    }

    @Test
    void tenMegabytesWithoutLineBreakFailWithoutBufferingPastTheLimit() {
        SseDecoder d = new SseDecoder(new Recorder());
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'x');
        int peak = 0;
        long fed = 0;
        SseLimitExceededException failure = null;
        while (fed < 10_000_000 && failure == null) {
            try {
                d.feed(chunk);
                fed += chunk.length;
                peak = Math.max(peak, d.bufferCapacity());
            } catch (SseLimitExceededException e) {
                failure = e;
            }
        }
        assertThat(failure).isNotNull();
        assertThat(fed).isLessThanOrEqualTo(SseLimits.DEFAULTS.maxLineBytes());
        assertThat(peak).isLessThanOrEqualTo(SseLimits.DEFAULTS.maxLineBytes() + 64 * 1024);
        assertThat(failure.limit()).isEqualTo(Limit.MAX_LINE_BYTES);
        assertThat(failure.limitValue()).isEqualTo(1 << 20);
        assertThat(failure.code()).isEqualTo(ErrorCode.EVENT_TOO_LARGE.wireName());
        assertThat(failure.retryable()).isFalse();
        assertThat(failure)
                .isInstanceOf(AIStreamException.class)
                .hasMessageContaining("maxLineBytes")
                .hasMessageContaining(String.valueOf(1 << 20));
    }

    @Test
    void tenMegabytesWithoutLineBreakInOneFeedFailAsWell() {
        byte[] huge = new byte[10_000_000];
        Arrays.fill(huge, (byte) 'y');
        SseDecoder d = new SseDecoder(new Recorder());
        assertThatThrownBy(() -> d.feed(huge)).isInstanceOf(SseLimitExceededException.class);
        assertThat(d.bufferCapacity()).isLessThanOrEqualTo(SseLimits.DEFAULTS.maxLineBytes());
    }

    @Test
    void lineOfExactlyTheLimitIsAcceptedAndOneMoreByteIsNot() {
        SseLimits limits = new SseLimits(10, 100);
        byte[] ok = "data: 1234\n\n".getBytes(UTF_8); // the line is 10 bytes
        byte[] tooLong = "data: 12345\n\n".getBytes(UTF_8);
        for (int split = 0; split <= ok.length; split++) {
            Recorder r = new Recorder();
            SseDecoder d = new SseDecoder(r, limits);
            d.feed(ok, 0, split);
            d.feed(ok, split, ok.length - split);
            assertThat(r.events()).containsExactly(event("message", "1234", ""));
        }
        for (int split = 0; split <= tooLong.length; split++) {
            Recorder r = new Recorder();
            SseDecoder d = new SseDecoder(r, limits);
            int s = split;
            Throwable t = catchThrowableOfType(SseLimitExceededException.class, () -> {
                d.feed(tooLong, 0, s);
                d.feed(tooLong, s, tooLong.length - s);
            });
            assertThat(t).as("split at %d", split).isNotNull();
            assertThat(r.events()).isEmpty();
        }
    }

    @Test
    void lineBreakBytesDoNotCountTowardsTheLineLimit() {
        Recorder r = new Recorder();
        new SseDecoder(r, new SseLimits(7, 100)).feed("data: x\r\n\r\n".getBytes(UTF_8));
        assertThat(r.events()).containsExactly(event("message", "x", ""));
    }

    @Test
    void eventDataBeyondTheLimitFails() {
        SseLimits limits = new SseLimits(100, 8); // "abc\ndef\n" is 8 bytes
        Recorder r = new Recorder();
        SseDecoder ok = new SseDecoder(r, limits);
        ok.feed("data: abc\ndata: def\n\ndata: abcdefg\n\n".getBytes(UTF_8));
        assertThat(r.events()).containsExactly(event("message", "abc\ndef", ""), event("message", "abcdefg", ""));

        SseDecoder d = new SseDecoder(new Recorder(), limits);
        SseLimitExceededException e = catchThrowableOfType(
                SseLimitExceededException.class, () -> d.feed("data: abc\ndata: defg\n\n".getBytes(UTF_8)));
        assertThat(e.limit()).isEqualTo(Limit.MAX_EVENT_BYTES);
        assertThat(e).hasMessageContaining("maxEventBytes").hasMessageContaining("8");
    }

    @Test
    void eventLimitCountsAcrossManyShortLines() {
        SseDecoder d = new SseDecoder(new Recorder(), new SseLimits(100, 1000));
        byte[] line = "data: 0123456789\n".getBytes(UTF_8);
        assertThatThrownBy(() -> {
                    for (int i = 0; i < 1000; i++) {
                        d.feed(line);
                    }
                })
                .isInstanceOf(SseLimitExceededException.class);
        assertThat(d.bufferCapacity()).isLessThanOrEqualTo(1100);
    }

    @Test
    void failedDecoderKeepsFailing() {
        SseDecoder d = new SseDecoder(new Recorder(), new SseLimits(4, 100));
        assertThatThrownBy(() -> d.feed("data: long\n".getBytes(UTF_8))).isInstanceOf(SseLimitExceededException.class);
        assertThatThrownBy(() -> d.feed("\n".getBytes(UTF_8)))
                .isInstanceOfSatisfying(
                        SseLimitExceededException.class,
                        e -> assertThat(e.limit()).isEqualTo(Limit.MAX_LINE_BYTES));
        assertThatThrownBy(d::end).isInstanceOf(SseLimitExceededException.class);
    }
}
